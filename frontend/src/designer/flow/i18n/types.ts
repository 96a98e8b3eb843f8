// Typed keys of the designerFlow namespace, kept out of i18next's global CustomTypeOptions (a second
// typed namespace there makes tsc's inference of `t` too deep elsewhere in the app).
import type en from './en.json';

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends Record<string, unknown> ? Leaves<T[K], `${P}${K}.`> : `${P}${K}`;
}[keyof T & string];
type Unplural<K extends string> = K extends `${infer B}_${'one' | 'other'}` ? B : K;

/** A key of the designerFlow catalog (plural forms under their base key). */
export type FlowKey = Unplural<Leaves<typeof en>>;
export type FlowT = (key: FlowKey, options?: Record<string, unknown>) => string;
