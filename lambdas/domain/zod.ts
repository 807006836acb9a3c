import { en } from 'zod/locales';
import * as z from 'zod/mini';

/**
 * zod for the functions: `zod/mini` (a third of classic zod's size and load time in a bundle), with English
 * messages. `zod/mini` loads no locale of its own, so without this a message zod writes itself (an unknown key, a
 * value of the wrong type) would read "Invalid input". `en` comes from `zod/locales` by name: the `locales`
 * namespace of `zod/mini` would bundle every language.
 */
z.config(en());

export * from 'zod/mini';

/**
 * `value` parsed by `schema`; every parse in the functions goes through this one. It is this module's own export on
 * purpose: the project declares no side effects, so a bundle keeps the configuration above only with something this
 * module itself defines, not with what it passes on from `zod/mini`.
 */
export const safeParse: typeof z.safeParse = z.safeParse;
