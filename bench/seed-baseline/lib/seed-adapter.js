// Drives the seed design's server (server.js) the way its published
// front-end does: POST /login for a token, a Socket.IO connection with
// `auth: { token }`, `join_room` for every room, `send_message` with a
// tempId, and the `message`, `message_ack`, `mention` and `error` events.
'use strict';

const { io } = require('socket.io-client');
const { runLimited } = require('./util');

async function postJson(url, body, token) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${url}: HTTP ${response.status}`);
  return response.json();
}

class SeedAdapter {
  constructor(url, sink) {
    this.base = url.replace(/^ws/, 'http').replace(/\/$/, '');
    this.sink = sink; // { onAck(k), onDelivery(client, k), onMention(client), onError(code, k) }
    this.clients = [];
  }

  // users: [{ name, room, member }]; returns once every client has joined
  // its room and can send.
  async setup(users, rooms, concurrency) {
    const accounts = await runLimited(users, concurrency, user =>
      postJson(`${this.base}/login`, { username: user.name }));
    const roomIds = await runLimited(rooms, concurrency, async room => {
      const owner = accounts[room.members[0]];
      const members = room.members.slice(1).map(u => accounts[u].user._id);
      const reply = await postJson(`${this.base}/rooms`, { type: 'group', name: room.name, members }, owner.token);
      return reply.room._id;
    });
    this.clients = await runLimited(users, concurrency, (user, index) =>
      this.connect(index, user, accounts[index], roomIds[user.room]));
  }

  connect(index, user, account, roomId) {
    return new Promise((resolve, reject) => {
      // forceNew: one engine.io connection per simulated user (the client
      // otherwise shares one connection among sockets to the same URL).
      // The websocket transport at once, where the seed's page starts with
      // long-polling and upgrades: the same steady state, a faster set-up.
      const socket = io(this.base, {
        auth: { token: account.token },
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        timeout: 60000,
      });
      const client = { index, user, userId: account.user._id, username: user.name, roomId, socket };
      socket.on('connect_error', err => reject(new Error(`connect ${user.name}: ${err.message}`)));
      socket.on('connect', () => socket.emit('join_room', { roomId }));
      socket.once('joined', () => resolve(client));
      socket.on('message', m => this.sink.onDelivery(client, m.content));
      socket.on('message_ack', ack => this.sink.onAck(Number(String(ack.tempId).slice(1))));
      socket.on('mention', () => this.sink.onMention(client));
      socket.on('error', e => this.sink.onError(`seed: ${e && e.message}`, null));
      socket.on('disconnect', reason => this.sink.onDisconnect(client, reason));
    });
  }

  send(client, k, content, mentioned) {
    client.socket.emit('send_message', {
      roomId: client.roomId,
      content,
      mentions: mentioned ? [mentioned.userId] : [],
      tempId: `t${k}`,
    });
  }

  mentionText(client) {
    return `@${client.username}`;
  }

  close() {
    for (const client of this.clients) client.socket.disconnect();
  }
}

module.exports = { SeedAdapter };
