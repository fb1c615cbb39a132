// One run of the scenario: the plan (users and rooms), the open-loop sender,
// the bookkeeping of every ack and delivery, and the report. The adapters
// call back into it (onAck, onDelivery, ...) for what their server sends.
'use strict';

const { performance } = require('perf_hooks');
const { processCpuSeconds, processRssKiB, summarize, round } = require('./measure');
const { sleep } = require('./util');

const SETUP_TIMEOUT_MS = 600000;

class Run {
  constructor(options) {
    this.o = options;
    const { rooms, members } = options;
    const nonce = Date.now().toString(36) + Math.floor(Math.random() * 1296).toString(36);
    this.users = [];
    this.rooms = [];
    for (let r = 0; r < rooms; ++r) {
      const name = `seed-bench ${nonce} ${r}`;
      const room = { index: r, name, members: [] };
      for (let m = 0; m < members; ++m) {
        room.members.push(this.users.length);
        this.users.push({ name: `s${nonce}_${this.users.length}`, room: r, member: m, roomName: name });
      }
      this.rooms.push(room);
    }
    this.interval = 1000 / options.rate;
    this.capacity = Math.ceil(options.rate * (options.warmup + options.duration)) + 1;
    this.due = new Float64Array(this.capacity);
    this.ackAt = new Float64Array(this.capacity).fill(-1);
    this.failed = new Uint8Array(this.capacity);
    this.mentioned = new Uint8Array(this.capacity);
    this.received = new Uint16Array(this.capacity);
    this.seen = new Uint8Array(this.capacity * members); // one slot per message and member
    this.deliveryLatencies = [];
    this.ackLatencies = [];
    this.sent = 0;
    this.c = { deliveries: 0, windowDeliveries: 0, windowAcks: 0, windowSends: 0, duplicates: 0,
      duplicateAcks: 0, stray: 0, misrouted: 0, mentions: 0, disconnects: 0 };
    this.errors = {};
    this.inWindow = false;
    this.closing = false;
    this.maxSendLag = 0;
  }

  // ---- callbacks from the adapters ----
  onAck(k) {
    const now = performance.now();
    if (!(k >= 0 && k < this.sent) || this.ackAt[k] >= 0) { ++this.c.duplicateAcks; return; }
    this.ackAt[k] = now;
    if (this.inWindow) ++this.c.windowAcks;
    if (this.dueInWindow(k)) this.ackLatencies.push(now - this.due[k]);
  }

  onDelivery(client, content) {
    const now = performance.now();
    const k = typeof content === 'string' && content.charCodeAt(0) === 109 /* m */ ? parseInt(content.slice(1), 10) : NaN;
    if (!(k >= 0 && k < this.sent)) { ++this.c.stray; return; }
    if (this.roomOf(k) !== client.user.room) { ++this.c.misrouted; return; }
    const slot = k * this.o.members + client.user.member;
    if (this.seen[slot]) { ++this.c.duplicates; return; }
    this.seen[slot] = 1;
    ++this.received[k];
    ++this.c.deliveries;
    if (this.inWindow) ++this.c.windowDeliveries;
    if (this.dueInWindow(k)) this.deliveryLatencies.push(now - this.due[k]);
  }

  onMention() { ++this.c.mentions; }

  onError(code, k) {
    this.errors[code] = (this.errors[code] || 0) + 1;
    if (typeof k === 'number' && k >= 0 && k < this.sent) this.failed[k] = 1;
  }

  onDisconnect(client, reason) {
    if (this.closing) return;
    ++this.c.disconnects;
    this.onError(`disconnected (${reason})`, null);
  }

  // ---- the schedule ----
  // Message k goes to room k mod rooms, so that consecutive messages land in
  // different rooms, and within the room to the members in turn.
  roomOf(k) { return k % this.o.rooms; }
  senderOf(k) {
    const member = Math.floor(k / this.o.rooms) % this.o.members;
    return this.roomOf(k) * this.o.members + member;
  }
  dueInWindow(k) { return this.due[k] >= this.windowStart && this.due[k] < this.windowEnd; }

  sendOne(adapter, k, now) {
    const client = adapter.clients[this.senderOf(k)];
    let mentioned = null;
    if (this.o.members > 1 && this.o.mentionShare > 0 && Math.random() < this.o.mentionShare) {
      const room = this.rooms[client.user.room];
      mentioned = adapter.clients[room.members[(client.user.member + 1) % this.o.members]];
      this.mentioned[k] = 1;
    }
    let content = `m${k} ` + (mentioned ? adapter.mentionText(mentioned) + ' ' : '');
    content += 'x'.repeat(Math.max(0, this.o.contentBytes - content.length));
    this.due[k] = this.start + k * this.interval;
    this.sent = k + 1;
    if (this.inWindow) {
      ++this.c.windowSends;
      this.maxSendLag = Math.max(this.maxSendLag, now - this.due[k]);
    }
    adapter.send(client, k, content, mentioned);
  }

  beginWindow() {
    this.inWindow = true;
    this.t0 = performance.now();
    this.cpu0 = processCpuSeconds(this.o.serverPid);
    this.tool0 = process.cpuUsage();
  }

  endWindow() {
    this.cpu1 = processCpuSeconds(this.o.serverPid);
    this.tool1 = process.cpuUsage(this.tool0);
    this.t1 = performance.now();
    this.inWindow = false;
  }

  traffic(adapter) {
    return new Promise(resolve => {
      this.start = performance.now() + 20;
      this.windowStart = this.start + this.o.warmup * 1000;
      this.windowEnd = this.windowStart + this.o.duration * 1000;
      // A 1 ms timer sends whatever has fallen due since the last tick;
      // Node's timers fire about every 1.1 ms, so sends go out at most a
      // tick late, and maxSendLagMs says when the tool fell further behind.
      const tick = () => {
        const now = performance.now();
        if (!this.inWindow && this.t0 === undefined && now >= this.windowStart) this.beginWindow();
        let k = this.sent;
        while (k < this.capacity) {
          const due = this.start + k * this.interval;
          if (due > now || due >= this.windowEnd) break;
          this.sendOne(adapter, k, now);
          ++k;
        }
        if (now >= this.windowEnd) {
          this.endWindow();
          resolve();
        } else {
          setTimeout(tick, 1);
        }
      };
      setTimeout(tick, 1);
    });
  }

  settled() {
    let acked = 0;
    let failed = 0;
    for (let k = 0; k < this.sent; ++k) {
      if (this.ackAt[k] >= 0) ++acked;
      else if (this.failed[k]) ++failed;
    }
    return acked + failed === this.sent && this.c.deliveries >= acked * this.o.members;
  }

  async execute(adapter) {
    const setupStarted = performance.now();
    let timer;
    const timeout = new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`set-up did not finish in ${SETUP_TIMEOUT_MS / 1000} s`)), SETUP_TIMEOUT_MS);
    });
    await Promise.race([adapter.setup(this.users, this.rooms, this.o.concurrency), timeout]);
    clearTimeout(timer);
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    const rssBefore = processRssKiB(this.o.serverPid);
    await this.traffic(adapter);
    const drainStarted = performance.now();
    while (!this.settled() && performance.now() - drainStarted < this.o.drain * 1000) await sleep(20);
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    const rssAfter = processRssKiB(this.o.serverPid);
    this.closing = true;
    adapter.close();
    return this.report(adapter, { setupSeconds, drainSeconds, rssBefore, rssAfter });
  }

  report(adapter, extra) {
    const members = this.o.members;
    let acked = 0, failed = 0, lost = 0, mentionsExpected = 0;
    for (let k = 0; k < this.sent; ++k) {
      if (this.ackAt[k] >= 0) {
        ++acked;
        lost += members - this.received[k];
        if (this.mentioned[k]) ++mentionsExpected;
      } else if (this.failed[k]) {
        ++failed;
      }
    }
    const windowSeconds = (this.t1 - this.t0) / 1000;
    const cpuSeconds = this.cpu0 !== null && this.cpu1 !== null ? this.cpu1 - this.cpu0 : null;
    const toolCpu = (this.tool1.user + this.tool1.system) / 1e6;
    const perSecond = n => round(n / windowSeconds, 1);
    return {
      target: this.o.target,
      url: this.o.url,
      scenario: { rooms: this.o.rooms, members, users: this.users.length, rate: this.o.rate,
        warmup: this.o.warmup, duration: this.o.duration, contentBytes: this.o.contentBytes,
        mentionShare: this.o.mentionShare },
      throughput: { windowSeconds: round(windowSeconds), deliveriesPerSecond: perSecond(this.c.windowDeliveries),
        acksPerSecond: perSecond(this.c.windowAcks), sendsPerSecond: perSecond(this.c.windowSends),
        maxSendLagMs: round(this.maxSendLag) },
      latency: { sendToDelivery: summarize(this.deliveryLatencies), sendToAck: summarize(this.ackLatencies) },
      delivery: { sent: this.sent, acked, failed, unacked: this.sent - acked - failed,
        received: this.c.deliveries, lost, duplicates: this.c.duplicates, duplicateAcks: this.c.duplicateAcks,
        stray: this.c.stray, misrouted: this.c.misrouted, mentionsExpected, mentionsReceived: this.c.mentions,
        disconnects: this.c.disconnects },
      errorsByCode: this.errors,
      server: { pid: this.o.serverPid, cpuSeconds: round(cpuSeconds), cpuCores: cpuSeconds === null ? null : round(cpuSeconds / windowSeconds),
        cpuMsPer1000Deliveries: cpuSeconds === null ? null : round(cpuSeconds * 1e6 / this.c.windowDeliveries, 2),
        rssBeforeKiB: extra.rssBefore, rssAfterKiB: extra.rssAfter },
      tool: { cpuSeconds: round(toolCpu), cpuCores: round(toolCpu / windowSeconds), node: process.version },
      setupSeconds: round(extra.setupSeconds, 1),
      drainSeconds: round(extra.drainSeconds, 2),
    };
  }
}

module.exports = { Run };
