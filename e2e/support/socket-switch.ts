import type { Page, WebSocketRoute } from "@playwright/test";

const SOCKET_IO = /\/socket\.io\//;

// Socket.IO over an Engine.IO websocket: "42<ack id>[event, payload]" is an event, "43<ack id>[result]" its ack.
const SEND_FRAME = /^42(\d+)\["message:send",(.*)\]$/s;
const ACK_FRAME = /^43(\d+)\[/;

/**
 * Sits between one page and the server's Socket.IO endpoint. It can cut the connection (both
 * transports) while ordinary HTTP keeps working, so a page can be reloaded "offline" as far as
 * real-time goes, and it can lose the server's answer to a send. Install it before the page connects.
 */
export class SocketSwitch {
  private blocked = false;
  private readonly open = new Set<WebSocketRoute>();
  private loseNextSendAnswer = false;
  /** The client message id of every message:send frame the page emitted, retries included. */
  readonly sentClientMsgIds: string[] = [];

  private constructor(private readonly page: Page) {}

  static async install(page: Page): Promise<SocketSwitch> {
    const socketSwitch = new SocketSwitch(page);
    await page.routeWebSocket(SOCKET_IO, (socket) => socketSwitch.connect(socket));
    await page.route(SOCKET_IO, (route) => (socketSwitch.blocked ? route.abort() : route.continue()));
    return socketSwitch;
  }

  /** Drops the live connection and refuses new ones. */
  async cut(): Promise<void> {
    this.blocked = true;
    await Promise.all([...this.open].map((socket) => socket.close()));
  }

  /** Lets connections through again and tells the page the network is back (as the browser would). */
  async restore(): Promise<void> {
    this.blocked = false;
    await this.page.evaluate(() => window.dispatchEvent(new Event("online")));
  }

  /**
   * The next send reaches the server and is stored, but the page hears nothing back: neither the
   * acknowledgement nor the message:new push for it.
   */
  loseTheNextSendsAnswer(): void {
    this.loseNextSendAnswer = true;
  }

  private connect(socket: WebSocketRoute) {
    if (this.blocked) return void socket.close();
    const server = socket.connectToServer();
    this.open.add(socket);
    socket.onClose(() => this.open.delete(socket));
    let lostAckId: string | null = null;
    let lostClientMsgId: string | null = null;

    socket.onMessage((frame) => {
      const send = typeof frame === "string" ? SEND_FRAME.exec(frame) : null;
      if (send) {
        const clientMsgId = (JSON.parse(send[2]!) as { clientMsgId: string }).clientMsgId;
        this.sentClientMsgIds.push(clientMsgId);
        if (this.loseNextSendAnswer) {
          this.loseNextSendAnswer = false;
          lostAckId = send[1]!;
          lostClientMsgId = clientMsgId;
        }
      }
      server.send(frame);
    });
    server.onMessage((frame) => {
      if (typeof frame === "string" && lostAckId !== null && ACK_FRAME.exec(frame)?.[1] === lostAckId) {
        lostAckId = null;
        return;
      }
      if (typeof frame === "string" && lostClientMsgId !== null && frame.startsWith('42["message:new"') && frame.includes(lostClientMsgId)) return;
      socket.send(frame);
    });
  }
}
