// bench-sdk.mjs: opencode's own JS SDK following a server's event stream,
// folding messages and parts into maps, as a web client does.  The peer
// that build-aux/bench-ingest --live measures ekacode against.
//
//   node bench-sdk.mjs URL COUNT
//
// Prints one JSON line: {"events":N,"seconds":S,"events_per_s":R}.

import { createOpencodeClient } from "@opencode-ai/sdk";

const [url, countArg] = process.argv.slice(2);
const count = Number(countArg);
const client = createOpencodeClient({ baseUrl: url });

const sessions = new Map();
const messages = new Map();
const parts = new Map();
let events = 0;

const start = performance.now();
const result = await client.event.subscribe();
for await (const event of result.stream) {
  events++;
  const p = event.properties ?? {};
  switch (event.type) {
    case "session.created":
    case "session.updated":
      sessions.set(p.info.id, p.info);
      break;
    case "message.updated":
      messages.set(p.info.id, p.info);
      break;
    case "message.removed":
      messages.delete(p.messageID);
      break;
    case "message.part.updated":
      parts.set(p.part.id, p.part);
      break;
    case "message.part.delta": {
      const part = parts.get(p.partID);
      if (part) part[p.field] = (part[p.field] ?? "") + p.delta;
      break;
    }
    case "message.part.removed":
      parts.delete(p.partID);
      break;
  }
  if (events >= count) break;
}
const seconds = (performance.now() - start) / 1000;
console.log(JSON.stringify({ events, seconds, events_per_s: Math.round(events / seconds),
                             sessions: sessions.size, messages: messages.size, parts: parts.size }));
process.exit(0);
