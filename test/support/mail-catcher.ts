// A local stand-in for the mail provider in end-to-end tests: the worker's development transport (MAIL_TRANSPORT=dev)
// POSTs each message, as raw MIME, to MAIL_DEV_URL, and this server keeps them in order, as `npm start` keeps them
// in .mail/. It listens on loopback only.
import { createServer } from "node:http";
import { freePort } from "./wrangler-dev.ts";

export interface MailCatcher {
  /** The URL to give the worker as MAIL_DEV_URL. */
  url: string;
  /** Every message received so far, raw (latin1, as the bytes came). */
  caught: string[];
  close(): void;
}

export async function startMailCatcher(): Promise<MailCatcher> {
  const port = await freePort();
  const caught: string[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("latin1")));
    request.on("end", () => (caught.push(body), response.end()));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${port}/mail`, caught, close: () => server.close() };
}
