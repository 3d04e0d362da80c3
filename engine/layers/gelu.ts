import { activationLayer } from './activation';

export const geluLayer = activationLayer({ type: 'gelu', op: 'gelu', label: 'GELU', description: 'Smooth gate of transformers' });
