import { describe, expect, it } from "vitest";
import { Readable } from "node:stream";
import { csvStream } from "@/lib/export/csv";
import type { ExportColumn, ExportRecord } from "@/lib/export/columns";

const COLS: ExportColumn[] = ["team", "person_name", "rank_change"];

async function csv(rows: ExportRecord[], bom = false): Promise<string> {
  async function* gen() {
    yield* rows;
  }
  let out = "";
  for await (const c of csvStream(gen(), COLS, { bom })) out += c.toString();
  return out;
}

describe("csvStream", () => {
  it("writes RFC 4180: header, CRLF, quotes around , \" CR and LF, quotes doubled, empty cells for null", async () => {
    const text = await csv([
      { team: "a", person_name: 'He said "hi", then\nleft', rank_change: null },
      { team: "b", person_name: "cr\ronly", rank_change: 3 },
    ]);
    expect(text).toBe('team,person_name,rank_change\r\na,"He said ""hi"", then\nleft",\r\nb,"cr\ronly",3\r\n');
  });

  it("puts an apostrophe before text a spreadsheet would evaluate, never before a number", async () => {
    const names = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "＝1", "a=1"];
    const text = await csv(names.map((n, i) => ({ team: "t", person_name: n, rank_change: -i })));
    const cells = text.split("\r\n").slice(1, -1);
    expect(cells[0]).toBe("t,'=1+1,0");
    expect(cells[1]).toBe("t,'+1,-1");
    expect(cells[2]).toBe("t,'-1,-2");
    expect(cells[3]).toBe("t,'@SUM(A1),-3");
    expect(cells[4]).toBe("t,'\tx,-4");
    expect(cells[5]).toBe("t,\"'\rx\",-5");
    expect(cells[6]).toBe("t,'＝1,-6");
    expect(cells[7]).toBe("t,a=1,-7");
  });

  it("starts with a UTF-8 BOM only when asked", async () => {
    expect((await csv([], true)).charCodeAt(0)).toBe(0xfeff);
    expect(await csv([])).toBe("team,person_name,rank_change\r\n");
  });

  it("fails the stream when reading rows fails, so a cut file never looks complete", async () => {
    async function* broken() {
      yield { team: "a" } as ExportRecord;
      throw new Error("database gone");
    }
    const web = Readable.toWeb(csvStream(broken(), COLS)) as ReadableStream<Uint8Array>;
    await expect(new Response(web).text()).rejects.toThrow("database gone");
  });
});
