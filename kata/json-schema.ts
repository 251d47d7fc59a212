/**
 * Checks a report against its JSON Schema (draft 2020-12) with Ajv, the ecosystem's usual
 * validator: every schema the grader writes to (kata/grade.schema.json, kata/grading/schemas/)
 * is checked in the specs with it.
 */
import { readFileSync } from "node:fs";
import { Ajv2020, type AnySchema, type ErrorObject } from "ajv/dist/2020.js";

export type Schema = AnySchema;

const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false });

const line = (e: ErrorObject): string => {
  const at = `$${e.instancePath.replace(/\/(\d+)(?=\/|$)/g, "[$1]").replace(/\//g, ".")}`;
  if (e.keyword === "required")
    return `${at}: missing required property "${(e.params as { missingProperty: string }).missingProperty}"`;
  if (e.keyword === "additionalProperties") {
    return `${at}: unexpected property "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  }
  if (e.keyword === "enum") {
    return `${at}: ${JSON.stringify(e.data)} is not one of ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`;
  }
  return `${at}: ${e.message ?? e.keyword}`;
};

/** Every way `value` breaks `schema`, as `path: problem` lines; empty when it is valid. */
export function validate(value: unknown, schema: Schema): string[] {
  const id =
    typeof schema === "object" && schema !== null ? (schema as { $id?: string }).$id : undefined;
  const check = (id && ajv.getSchema(id)) || ajv.compile(schema);
  if (check(value)) return [];
  return (check.errors ?? []).map(line);
}

/** A schema from a JSON file. */
export const readSchema = (file: string): Schema => JSON.parse(readFileSync(file, "utf8"));
