export declare const typedCasts: { selector: string; message: string }[];
