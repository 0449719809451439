/**
 * The README's code blocks as a test reads them: fenced blocks with their language and line, the
 * shell blocks cut into commands (backslash continuations and heredocs joined), and what each
 * command's comment says it prints.
 *
 * @module
 */

export interface Block {
  lang: string;
  /** 1-based line of the opening fence. */
  line: number;
  text: string;
}

export interface Command {
  /** The command as bash runs it (comment removed, continuations and heredoc kept). */
  script: string;
  /** 1-based README line where it starts. */
  line: number;
  /** The comment after it, on its line or on the comment lines right below it. */
  comment: string;
}

/**
 * Every fenced block of a Markdown text.
 *
 * @example
 * readBlocks("```sh\nnpm test\n```") // → [{ lang: "sh", line: 1, text: "npm test" }]
 */
export function readBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    blocks.push({ lang: open[1]!, line: start + 1, text: body.join("\n") });
  }
  return blocks;
}

/** Splits `text` at the first `#` that starts a shell comment (not inside quotes, not `$#`). */
function splitComment(text: string): [string, string] {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]!))) return [text.slice(0, i).trimEnd(), text.slice(i + 1).trim()];
  }
  return [text.trimEnd(), ""];
}

/**
 * The commands of a shell block, in order.
 *
 * @example
 * readCommands({ lang: "sh", line: 1, text: "edgeflag bucket s u   # {\"bucket\": 1}" })
 * // → [{ script: "edgeflag bucket s u", line: 2, comment: '{"bucket": 1}' }]
 */
export function readCommands(block: Block): Command[] {
  const lines = block.text.split("\n");
  const commands: Command[] = [];
  for (let i = 0; i < lines.length; i++) {
    const [code, comment] = splitComment(lines[i]!);
    if (code === "") {
      // A comment line right below a command says what that command printed.
      if (comment && commands.length) commands.at(-1)!.comment += (commands.at(-1)!.comment ? "\n" : "") + comment;
      continue;
    }
    const command: Command = { script: code, line: block.line + 1 + i, comment };
    let last = code;
    while (last.endsWith("\\") && i + 1 < lines.length) {
      const [next, nextComment] = splitComment(lines[++i]!);
      command.script += "\n" + next;
      if (nextComment) command.comment = nextComment;
      last = next;
    }
    const heredoc = /<<-?'?(\w+)'?/.exec(command.script);
    if (heredoc) {
      while (i + 1 < lines.length) {
        const next = lines[++i]!;
        command.script += "\n" + next;
        if (next.trim() === heredoc[1]) break;
      }
    }
    commands.push(command);
  }
  return commands;
}

/**
 * The commands quoted inline in prose (`` `curl -s …` ``, `` `npm run size` ``), outside fenced
 * blocks, with their line.
 *
 * @example
 * readInlineCommands("Run `npm run size` to check.") // → [{ script: "npm run size", line: 1, comment: "" }]
 */
export function readInlineCommands(markdown: string): Command[] {
  const found: Command[] = [];
  let fenced = false;
  markdown.split("\n").forEach((line, i) => {
    if (/^```/.test(line)) fenced = !fenced;
    if (fenced) return;
    for (const m of line.matchAll(/`([^`]+)`/g)) {
      if (/^(curl|npx edgeflag|npm (run \S+|start|test|install))(\s|$)/.test(m[1]!)) found.push({ script: m[1]!, line: i + 1, comment: "" });
    }
  });
  return found;
}
