// One list of event types (EVENT_TYPES, generated from event.v1.json) drives the D1 columns, the
// results SQL's type lists and the partial indexes' predicates: the list, the schema and the D1
// schema the migrations build must agree.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { EVENT_TYPES } from "@edgeflag/config-schema";
import eventSchema from "@edgeflag/config-schema/event-schema.json" with { type: "json" };
import { DATA_FIELDS, EVENT_COLUMNS, INDEX_COLUMNS, INDEX_OF, indexDdl, RATIOS, resultTablesDdl, SUBJECT_SUMS, typePredicate, type EventIndex } from "@edgeflag/analysis";

type Def = { properties: Record<string, unknown> };
const defs = eventSchema.$defs as unknown as Record<string, Def>;
const branchOf = (type: string): Def => {
  const branch = eventSchema.allOf.find((b) => b.if.properties.type.const === type)!;
  return defs[branch.then.$ref.replace("#/$defs/", "")]!;
};
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();
const squash = (sql: string) => sql.replace(/\s+/g, " ").trim();

describe("the list of event types and the schema", () => {
  it("is the schema's enum, with one if/then branch per type, and each type is stored under one results index", () => {
    expect(EVENT_TYPES).toEqual(eventSchema.properties.type.enum);
    expect(eventSchema.allOf.map((b) => b.if.properties.type.const)).toEqual([...EVENT_TYPES]);
    expect(Object.keys(INDEX_OF).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it("every field of every event type has a column (or is kept in data), and every column reads a field the schema has", () => {
    const fields = sorted(EVENT_TYPES.flatMap((t) => Object.keys(branchOf(t).properties)));
    const stored = sorted([...EVENT_COLUMNS.flatMap((c) => (c.field === undefined ? [] : [c.field])), ...Object.values(DATA_FIELDS)]);
    expect(stored).toEqual(fields);
    for (const [type, field] of Object.entries(DATA_FIELDS)) expect(Object.keys(branchOf(type).properties)).toContain(field);
  });

  it("the triggers that fold events into the results tables name each index's types exactly as the index's WHERE does", () => {
    expect(typePredicate("exposures")).toBe("type = 'exposure'");
    expect(typePredicate("metrics", "e.")).toBe("e.type IN ('feedback', 'execution', 'outcome')");
    expect(typePredicate("subject", "e.")).toBe("e.type = 'custom'");
    const ddl = resultTablesDdl().join("\n");
    expect(ddl).toContain("WHEN NEW.type IN ('feedback', 'execution', 'outcome') AND");
    expect(ddl).toContain("AND e.type IN ('feedback', 'execution', 'outcome') AND");
    expect(ddl).toContain("AND e.type = 'custom'");
    expect(ddl).toContain("AND type = 'exposure' AND");
  });

  it("every per-subject column a ratio metric reads is a sum the triggers keep", () => {
    const sums = SUBJECT_SUMS.map(([c]) => c);
    for (const [, x, y] of RATIOS) expect(sums).toEqual(expect.arrayContaining([x, y]));
  });
});

describe("the list and the D1 schema the migrations build", () => {
  it("the events table has exactly the columns of EVENT_COLUMNS, in order, with their types", async () => {
    const { results } = await env.DB.prepare("SELECT name, type, \"notnull\" AS required FROM pragma_table_info('events') ORDER BY cid").all<{ name: string; type: string; required: number }>();
    expect(results.map((c) => [c.name, c.type, c.required === 1])).toEqual(EVENT_COLUMNS.map((c) => [c.name, c.type, c.notNull]));
  });

  it("the results indexes are the ones the list derives: same columns, same partial predicate", async () => {
    const { results } = await env.DB.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL ORDER BY name").all<{ name: string; sql: string }>();
    const indexes = Object.keys(INDEX_COLUMNS) as EventIndex[];
    expect(Object.fromEntries(results.map((r) => [r.name, squash(r.sql)]))).toEqual(Object.fromEntries(indexes.map((i) => [`events_${i}`, indexDdl(i)])));
  });

  it("every column an index covers is a column of the table", () => {
    const names = EVENT_COLUMNS.map((c) => c.name);
    for (const columns of Object.values(INDEX_COLUMNS)) for (const c of columns) expect(names).toContain(c);
  });

  it("the results tables, their index and the triggers that keep them are the ones resultTablesDdl derives", async () => {
    const { results } = await env.DB.prepare("SELECT sql FROM sqlite_master WHERE (name IN ('subject_results', 'subject_custom', 'call_histogram', 'daily_cost', 'exposure_configs') OR name LIKE 'subject_results_%' OR type = 'trigger') AND sql IS NOT NULL ORDER BY rowid").all<{ sql: string }>();
    expect(results.map((r) => squash(r.sql))).toEqual(resultTablesDdl().map(squash));
  });
});
