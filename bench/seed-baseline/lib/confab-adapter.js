// Drives confab-server over docs/protocol.md with the `ws` package: JSON
// envelopes {type, id?, payload} in text frames. Users come from `register`
// (the server's default --registration open), each measured connection signs
// in with its token in the handshake (?token=), the first member of each room
// creates it with `create_room`, and the others learn of it by the `room` push.
'use strict';

const WebSocket = require('ws');
const { runLimited, sleep } = require('./util');

const PASSWORD = 'seed-baseline-password';

function open(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 60000 });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

// One set-up connection that registers users one request after another.
// A register also signs the connection in as that user; the next register
// switches it to the next user, which the protocol allows.
async function registerOn(url, queue, accounts, users) {
  const ws = await open(url);
  const pending = new Map();
  ws.on('message', data => {
    const frame = JSON.parse(data.toString());
    const waiter = pending.get(frame.id);
    if (waiter) {
      pending.delete(frame.id);
      waiter(frame);
    }
  });
  try {
    while (queue.length > 0) {
      const index = queue.shift();
      const id = `r${index}`;
      const reply = await new Promise(resolve => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ type: 'register', id, payload: { username: users[index].name, password: PASSWORD } }));
      });
      if (reply.type === 'auth_ok') {
        accounts[index] = { token: reply.payload.token, userId: reply.payload.user.id };
      } else if (reply.payload.code === 'rate_limited') {
        const wait = reply.payload.retryAfterMs || 1000;
        if (wait > 30000) {
          throw new Error(`register is rate limited for ${wait} ms: start confab-server with ` +
            '--register-rate 1000000 --register-burst 1000000 (bench/compare-seed.sh does)');
        }
        queue.push(index);
        await sleep(wait);
      } else {
        throw new Error(`register ${users[index].name}: ${reply.payload.code} ${reply.payload.message}`);
      }
    }
  } finally {
    ws.close();
  }
}

class ConfabAdapter {
  constructor(url, sink, options = {}) {
    this.url = url.replace(/^http/, 'ws').replace(/\/$/, '');
    this.sink = sink;
    // Two hashes per connection are allowed by default (--hash-per-connection),
    // one at a time each here: the default 8 per address caps the useful number.
    this.registerConnections = options.registerConnections || 8;
    this.clients = [];
  }

  async setup(users, rooms, concurrency) {
    const accounts = new Array(users.length);
    const queue = users.map((user, index) => index);
    await Promise.all(Array.from({ length: this.registerConnections }, () =>
      registerOn(this.url, queue, accounts, users)));
    this.clients = await runLimited(users, concurrency, (user, index) =>
      this.connect(index, user, accounts[index]));
    const joined = this.clients.map(client => client.joined);
    await runLimited(rooms, concurrency, room => {
      const owner = this.clients[room.members[0]];
      const memberIds = room.members.slice(1).map(u => this.clients[u].userId);
      owner.ws.send(JSON.stringify({ type: 'create_room', id: `c${room.index}`, payload: { name: room.name, memberIds } }));
      return owner.joined;
    });
    await Promise.all(joined);
  }

  connect(index, user, account) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${this.url}/?token=${account.token}`, { perMessageDeflate: false, handshakeTimeout: 60000 });
      const client = { index, user, userId: account.userId, username: user.name, roomId: null, ws };
      client.joined = new Promise(resolveJoined => { client.resolveJoined = resolveJoined; });
      ws.on('error', err => reject(new Error(`connect ${user.name}: ${err.message}`)));
      ws.on('close', code => this.sink.onDisconnect(client, `close ${code}`));
      ws.on('message', data => {
        const frame = JSON.parse(data.toString());
        switch (frame.type) {
        case 'message':
          this.sink.onDelivery(client, frame.payload.message.content);
          break;
        case 'message_ack':
          this.sink.onAck(frame.id);
          break;
        case 'mention':
          this.sink.onMention(client);
          break;
        case 'auth_ok':
          resolve(client);
          break;
        case 'room':
          if (frame.payload.room.name === user.roomName) {
            client.roomId = frame.payload.room.id;
            client.resolveJoined();
          }
          break;
        case 'error':
          if (typeof frame.id === 'number') {
            this.sink.onError(frame.payload.code, frame.id);
          } else if (client.roomId === null) {
            reject(new Error(`${user.name}: ${frame.payload.code} ${frame.payload.message}`));
          } else {
            this.sink.onError(frame.payload.code, null);
          }
          break;
        default:
          break; // presence, room lists and other pushes are not measured
        }
      });
    });
  }

  send(client, k, content, mentioned) {
    const payload = { roomId: client.roomId, content, tempId: `t${k}` };
    if (mentioned) {
      const indexStart = content.indexOf('@');
      payload.mentions = [{ userId: mentioned.userId, indexStart, indexEnd: indexStart + 1 + mentioned.username.length }];
    }
    // The request id is the message's number: the ack carries it back.
    client.ws.send(JSON.stringify({ type: 'send_message', id: k, payload }));
  }

  mentionText(client) {
    return `@${client.username}`;
  }

  close() {
    for (const client of this.clients) client.ws.close();
  }
}

module.exports = { ConfabAdapter };
