import { poolLayer } from './pool';

export const maxpool2dLayer = poolLayer('maxpool2d');
