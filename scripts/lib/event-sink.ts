// A stand-in for the events endpoint (POST, text/plain JSON arrays of events): it records every
// delivery attempt with its headers and answers 202, or `status` while it plays "down".
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface SinkEvent {
  id: string;
  type: string;
  [field: string]: unknown;
}

export interface Delivery {
  status: number;
  contentType: string;
  /** "no-cors" for navigator.sendBeacon with a text/plain body, "cors" for fetch(). */
  fetchMode: string;
  events: SinkEvent[];
}

export interface EventSink {
  url: string;
  deliveries: Delivery[];
  /** The answer to the next POSTs: 202 when up; 503 plays a sink that is down. */
  status: number;
  /** Events of the deliveries that were answered 202. */
  accepted(): SinkEvent[];
  /** Resolves with the accepted events once `test` holds for them. */
  waitFor(test: (accepted: SinkEvent[]) => boolean, timeoutMs?: number): Promise<SinkEvent[]>;
  close(): Promise<void>;
}

// fetch() to another origin needs this even for a text/plain POST (no preflight): without it the
// client cannot read the status, counts the delivery as failed and sends it again.
const CORS = { "access-control-allow-origin": "*" };

/** One line per delivery: "503 no-cors exposure 1f2e…(anon-…)". */
const describe = (d: Delivery) => `${d.status} ${d.fetchMode} ${d.events.map((e) => `${e.type} ${e.id.slice(0, 8)} (${String(e.subject)})`).join(", ")}`;

/** Starts the sink on a free 127.0.0.1 port; its URL is the events URL to give the client. */
export async function startEventSink(): Promise<EventSink> {
  const deliveries: Delivery[] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === "OPTIONS") return res.writeHead(204, { ...CORS, "access-control-allow-headers": "content-type" }).end();
    if (req.method !== "POST") return res.writeHead(405, CORS).end();
    let body = "";
    for await (const chunk of req) body += chunk;
    let events: SinkEvent[] = [];
    try {
      events = JSON.parse(body);
    } catch {
      // recorded with no events: the test sees a delivery it cannot read
    }
    deliveries.push({ status: sink.status, contentType: String(req.headers["content-type"] ?? ""), fetchMode: String(req.headers["sec-fetch-mode"] ?? ""), events });
    res.writeHead(sink.status, CORS).end();
  };
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const accepted = () => deliveries.filter((d) => d.status === 202).flatMap((d) => d.events);
  const sink: EventSink = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/events`,
    deliveries,
    status: 202,
    accepted,
    async waitFor(test, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!test(accepted())) {
        if (Date.now() > deadline) throw new Error(`the sink did not get the expected events in ${timeoutMs} ms; deliveries:\n${deliveries.map(describe).join("\n")}`);
        await new Promise((ok) => setTimeout(ok, 50));
      }
      return accepted();
    },
    close: () => new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
  return sink;
}
