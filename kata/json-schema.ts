/**
 * A small JSON Schema validator: the subset that kata/grade.schema.json uses (type, enum, const,
 * required, properties, additionalProperties, items, minimum, maximum, pattern, $ref to $defs).
 * Enough to prove in the specs that grade.json matches its documented schema, without a
 * dependency.
 */

export type Schema = {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly additionalProperties?: boolean | Schema;
  readonly items?: Schema;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly pattern?: string;
  readonly $defs?: Readonly<Record<string, Schema>>;
} & Readonly<Record<string, unknown>>;

const typeOf = (value: unknown): string => {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
};

/** Every way `value` breaks `schema`, as `path: problem` lines; empty when it is valid. */
export function validate(
  value: unknown,
  schema: Schema,
  root: Schema = schema,
  path = "$",
): string[] {
  if (schema.$ref) {
    const name = /^#\/\$defs\/(.+)$/.exec(schema.$ref)?.[1];
    const target = name ? root.$defs?.[name] : undefined;
    if (!target) return [`${path}: unknown $ref ${schema.$ref}`];
    return validate(value, target, root, path);
  }
  const problems: string[] = [];
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const allowed = typeof schema.type === "string" ? [schema.type] : schema.type;
    const ok = allowed.includes(actual) || (actual === "integer" && allowed.includes("number"));
    if (!ok) return [`${path}: expected ${allowed.join(" or ")}, got ${actual}`];
  }
  if (schema.enum && !schema.enum.includes(value)) {
    problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if ("const" in schema && schema.const !== value) {
    problems.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) {
      problems.push(`${path}: ${value} is below ${schema.minimum}`);
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      problems.push(`${path}: ${value} is above ${schema.maximum}`);
    }
  }
  if (typeof value === "string" && schema.pattern && !new RegExp(schema.pattern, "u").test(value)) {
    problems.push(`${path}: ${JSON.stringify(value)} does not match /${schema.pattern}/`);
  }
  if (Array.isArray(value) && schema.items) {
    const items = schema.items;
    value.forEach((item, i) => {
      problems.push(...validate(item, items, root, `${path}[${i}]`));
    });
  }
  if (actual === "object") {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (!(key in object)) problems.push(`${path}: missing required property "${key}"`);
    }
    for (const [key, item] of Object.entries(object)) {
      const own = schema.properties?.[key];
      if (own) problems.push(...validate(item, own, root, `${path}.${key}`));
      else if (schema.additionalProperties === false) {
        problems.push(`${path}: unexpected property "${key}"`);
      } else if (typeof schema.additionalProperties === "object") {
        problems.push(...validate(item, schema.additionalProperties, root, `${path}.${key}`));
      }
    }
  }
  return problems;
}
