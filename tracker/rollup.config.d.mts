import type { OutputOptions, RollupOptions } from 'rollup';

/** Types for tracker/rollup.config.mjs, so bench/tracker.bench.ts can build with the same config. */
declare const config: RollupOptions & { output: OutputOptions & { file: string } };
export default config;
