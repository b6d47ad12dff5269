import type { Page } from "@playwright/test";

const SOCKET_IO = /\/socket\.io\//;

/**
 * Records the Socket.IO frames between one page and the server (passing them through unchanged), to
 * check what the page asked for and what the server answered. Install it before the page connects.
 */
export class SocketFrames {
  private readonly sent: string[] = [];
  private readonly received: string[] = [];

  static async record(page: Page): Promise<SocketFrames> {
    const frames = new SocketFrames();
    await page.routeWebSocket(SOCKET_IO, (socket) => {
      const server = socket.connectToServer();
      socket.onMessage((frame) => {
        if (typeof frame === "string") frames.sent.push(frame);
        server.send(frame);
      });
      server.onMessage((frame) => {
        if (typeof frame === "string") frames.received.push(frame);
        socket.send(frame);
      });
    });
    return frames;
  }

  /** The inputs the page sent with `event`, in order ("42<ack id>[event, input]" frames). */
  inputs(event: string): unknown[] {
    return this.emits(event).map(({ input }) => input);
  }

  /** The server's answers to the page's `event` emits, in order ("43<ack id>[result]" frames). */
  answers(event: string): unknown[] {
    return this.emits(event).flatMap(({ ackId }) => {
      const answer = this.received.find((frame) => frame.startsWith(`43${ackId}[`));
      return answer ? [(JSON.parse(answer.slice(2 + ackId.length)) as unknown[])[0]] : [];
    });
  }

  private emits(event: string) {
    const prefix = new RegExp(`^42(\\d+)\\[${JSON.stringify(event).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:,|\\])`);
    return this.sent.flatMap((frame) => {
      const match = prefix.exec(frame);
      if (!match) return [];
      const [, input] = JSON.parse(frame.slice(2 + match[1]!.length)) as [string, unknown];
      return [{ ackId: match[1]!, input }];
    });
  }
}
