import { poolLayer } from './pool';

export const avgpool2dLayer = poolLayer('avgpool2d');
