/** The kata-spec mutation page's generator: scores, survivors and their reasons, the markers. */
import { describe, expect, it } from "vitest";
import {
  type MutationReport,
  mergeReports,
  patternsTable,
  replaceBetween,
  scores,
  scoreTable,
  stepOf,
  survivors,
} from "./mutation-report";

const at = (line: number) => ({ start: { line, column: 1 } });
const report: MutationReport = {
  files: {
    "solutions/pubsub/01-topic-broker/broker.ts": {
      source: "const a = 1;\n  if (x > 0) return;\n",
      mutants: [
        {
          id: "1",
          mutatorName: "EqualityOperator",
          replacement: "x >= 0",
          status: "Survived",
          location: at(2),
        },
        {
          id: "2",
          mutatorName: "ConditionalExpression",
          replacement: "true",
          status: "Killed",
          location: at(2),
        },
        {
          id: "3",
          mutatorName: "NumericLiteral",
          replacement: "0",
          status: "NoCoverage",
          location: at(1),
        },
      ],
    },
    "solutions/singleton/01-one-instance/singleton.ts": {
      source: "x\n",
      mutants: [
        {
          id: "4",
          mutatorName: "BlockStatement",
          replacement: "{}",
          status: "Timeout",
          location: at(1),
        },
        {
          id: "5",
          mutatorName: "BlockStatement",
          replacement: "{}",
          status: "CompileError",
          location: at(1),
        },
      ],
    },
  },
};
const order = ["singleton/01-one-instance", "pubsub/01-topic-broker"];

describe("the kata mutation report", () => {
  it("scores each step in catalog order: caught over caught, survived and uncovered", () => {
    expect(stepOf("solutions/pubsub/01-topic-broker/broker.ts")).toBe("pubsub/01-topic-broker");
    expect(stepOf("patterns/observer/subject.ts")).toBe("observer");
    expect(scores(report, order)).toEqual([
      {
        step: "singleton/01-one-instance",
        mutants: 2,
        killed: 0,
        timeout: 1,
        survived: 0,
        noCoverage: 0,
        invalid: 1,
        score: 100,
      },
      {
        step: "pubsub/01-topic-broker",
        mutants: 3,
        killed: 1,
        timeout: 0,
        survived: 1,
        noCoverage: 1,
        invalid: 0,
        score: (1 / 3) * 100,
      },
    ]);
    expect(scoreTable(scores(report, order), "step")).toContain(
      "| **all** | 5 | 1 | 1 | 1 | 1 | 1 | 50.00 % |",
    );
  });

  it("explains a survivor by step, mutator and line text, wherever the line moved", () => {
    const left = survivors(
      report,
      [
        {
          step: "pubsub/01-topic-broker",
          mutator: "EqualityOperator",
          line: "if (x > 0)   return;",
          why: "Equivalent.",
        },
      ],
      order,
    );
    expect(left.map((s) => [s.where, s.noCoverage, s.why])).toEqual([
      ["broker.ts:1", true, undefined],
      ["broker.ts:2", false, "Equivalent."],
    ]);
  });

  it("replaces the text between its markers, or appends it under a heading", () => {
    const page = "# M\n\n<!-- k:begin -->\n\nold\n\n<!-- k:end -->\n\nrest\n";
    expect(replaceBetween(page, "k", "new", "## K")).toBe(
      "# M\n\n<!-- k:begin -->\n\nnew\n\n<!-- k:end -->\n\nrest\n",
    );
    expect(replaceBetween("# M\n", "k", "new", "## K")).toBe(
      "# M\n\n## K\n\n<!-- k:begin -->\n\nnew\n\n<!-- k:end -->\n",
    );
  });
});

describe("merging the runs made one pattern at a time", () => {
  const file = (status: string) => ({
    source: "x\n",
    mutants: [{ id: "1", mutatorName: "BlockStatement", status, location: at(1) }],
  });
  const key = "solutions/pubsub/01-topic-broker/broker.ts";
  const other = "solutions/singleton/01-one-instance/singleton.ts";

  it("keeps every answer key any run reported, the newest report of each winning", () => {
    const merged = mergeReports([
      { report: { files: { [key]: file("Survived") } }, written: new Date(2) },
      {
        report: { files: { [key]: file("Killed"), [other]: file("Killed") } },
        written: new Date(1),
      },
    ]);

    expect(Object.keys(merged.files).sort()).toEqual([key, other]);
    expect(merged.files[key]?.mutants[0]?.status).toBe("Survived");
    expect(merged.files[other]?.mutants[0]?.status).toBe("Killed");
  });
});

describe("the patterns' table", () => {
  const file = (...statuses: string[]) => ({
    source: "x\n",
    mutants: statuses.map((status, i) => ({
      id: String(i),
      mutatorName: "BlockStatement",
      status,
      location: at(1),
    })),
  });
  const previous = [
    "| pattern | measured by | mutants | killed | timed out | survived | no coverage | invalid | score |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    "| singleton | the 2026-11-23 runs | 10 | 8 | 1 | 1 | 0 | 0 | 90.00 % |",
    "| pubsub | the 2026-11-23 runs | 4 | 4 | 0 | 0 | 0 | 0 | 100.00 % |",
  ].join("\n");

  it("re-measures the patterns a narrowed run covered and keeps every other row as it was", () => {
    const table = patternsTable(
      [
        {
          report: { files: { "patterns/pubsub/broker.ts": file("Killed", "Survived", "Timeout") } },
          written: new Date("2026-12-07T10:00:00Z"),
        },
      ],
      ["singleton", "factory", "pubsub"],
      previous,
    );

    expect(table.split("\n").slice(2)).toEqual([
      "| singleton | the 2026-11-23 runs | 10 | 8 | 1 | 1 | 0 | 0 | 90.00 % |",
      "| pubsub | the 2026-12-07 run | 3 | 1 | 1 | 1 | 0 | 0 | 66.67 % |",
      "| **all** | the rows above, added up | 13 | 9 | 2 | 2 | 0 | 0 | 84.62 % |",
    ]);
  });
});
