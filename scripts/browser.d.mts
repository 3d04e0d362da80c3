export declare const DEBIAN_CHROMIUM: string;
export declare const CHROMIUM_ARGS: string[];
export declare function findChromium(): Promise<{ path: string | undefined; source: 'CHROMIUM_PATH' | 'debian' | 'playwright' } | null>;
