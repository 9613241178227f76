// Stands in for 'zod' in the browser build (vite.config.ts aliases it here), so this runs before any
// module builds a schema. The CSP forbids eval: zod otherwise probes `new Function('')` when it builds
// its first object schema, to pick a compiled parser. The probe fails and zod falls back, but the
// browser records a CSP violation (DevTools' Issues panel, Lighthouse's best practices).
import { config } from 'zod/v4';

config({ jitless: true });

export * from 'zod/v4';
export { default } from 'zod/v4';
