// The seed design's server ("websocket聊天": Node.js + Express + Socket.IO +
// MongoDB), as published, kept line for line so that it can serve as the
// baseline of bench/compare-seed.sh. Three changes, each marked "baseline:":
//   1. the store is memory-mongoose.js instead of MongoDB (see there);
//   2. the port comes from PORT (0 picks a free one), the log line says which
//      one, so that the comparison script can run it beside another, and it
//      listens on loopback only (the seed listens on every address);
//   3. POST /rooms creates a room: the seed has a Room model but no way to
//      make one, and a load test needs rooms. It runs only during set-up.
// Everything on the measured path (the auth middleware, join_room,
// send_message with its ack, broadcast and mention loop) is the seed's.

// server.js
const express = require('express');
const http = require('http');
const mongoose = require('./memory-mongoose'); // baseline: was require('mongoose')
const jwt = require('jsonwebtoken');
const { Server } = require('socket.io');
const cors = require('cors');

const JWT_SECRET = process.env.JWT_SECRET || 'change_this';
const MONGO = process.env.MONGO || 'mongodb://localhost:27017/chatapp';

mongoose.connect(MONGO, { useNewUrlParser: true, useUnifiedTopology: true });

/* ============ Mongoose Schemas (简化) ============ */
const UserSchema = new mongoose.Schema({
  username: { type: String, unique: true },
  displayName: String,
  passwordHash: String,
  createdAt: { type: Date, default: Date.now }
});
const RoomSchema = new mongoose.Schema({
  type: { type: String, enum: ['dm','group'] },
  members: [{ type: mongoose.Schema.Types.ObjectId, ref: 'User' }],
  name: String,
  createdAt: { type: Date, default: Date.now }
});
const MessageSchema = new mongoose.Schema({
  roomId: { type: mongoose.Schema.Types.ObjectId, ref: 'Room' },
  senderId: { type: mongoose.Schema.Types.ObjectId, ref: 'User' },
  content: String,
  mentions: [{ type: mongoose.Schema.Types.ObjectId, ref: 'User' }],
  createdAt: { type: Date, default: Date.now }
});

const User = mongoose.model('User', UserSchema);
const Room = mongoose.model('Room', RoomSchema);
const Message = mongoose.model('Message', MessageSchema);

/* ============ Express ============ */
const app = express();
app.use(cors());
app.use(express.json());

// 简化登录接口(真实请加密码校验)
app.post('/login', async (req, res) => {
  // req.body: { username }
  const { username } = req.body;
  let user = await User.findOne({ username });
  if (!user) {
    user = await new User({ username, displayName: username }).save();
  }
  const token = jwt.sign({ userId: user._id }, JWT_SECRET, { expiresIn: '7d' });
  res.json({ token, user: { _id: user._id, username: user.username, displayName: user.displayName } });
});

// baseline: the seed has no route that creates a room. This one takes
// { type, name, members: [userId] } with the caller's token and makes the
// caller a member, as a group's creator would be.
app.post('/rooms', async (req, res) => {
  let payload;
  try {
    payload = jwt.verify(String(req.headers.authorization || '').replace(/^Bearer /, ''), JWT_SECRET);
  } catch (err) {
    return res.status(401).json({ message: 'auth error' });
  }
  const { type = 'group', name, members = [] } = req.body;
  const memberIds = [...new Set([payload.userId, ...members].map(String))];
  const room = await new Room({ type, name, members: memberIds.map(id => new mongoose.Types.ObjectId(id)) }).save();
  res.json({ room: { _id: room._id, type: room.type, name: room.name, members: room.members } });
});

// 获取房间历史(分页)
app.get('/rooms/:roomId/messages', async (req, res) => {
  const { roomId } = req.params;
  const limit = Math.min(50, parseInt(req.query.limit || 20));
  const before = req.query.before; // message id
  const q = { roomId };
  if (before) q._id = { $lt: before };
  const msgs = await Message.find(q).sort({ _id: -1 }).limit(limit).lean();
  res.json({ messages: msgs.reverse() }); // 返回正序
});

const server = http.createServer(app);
const io = new Server(server, {
  cors: { origin: '*' }
});

/* ============ Socket Auth Middleware ============ */
io.use(async (socket, next) => {
  const token = socket.handshake.auth?.token || socket.handshake.query?.token;
  if (!token) return next(new Error('auth error'));
  try {
    const payload = jwt.verify(token, JWT_SECRET);
    socket.userId = payload.userId;
    const user = await User.findById(socket.userId);
    socket.user = user;
    return next();
  } catch (err) {
    return next(new Error('auth error'));
  }
});

/* ============ Socket Handlers ============ */
io.on('connection', (socket) => {
  console.log('connected', socket.user.username, socket.userId);

  // join a room
  socket.on('join_room', async ({ roomId }) => {
    const room = await Room.findById(roomId);
    if (!room) return socket.emit('error', { message: 'room not found' });
    // 权限校验:是否为成员(简化)
    if (!room.members.map(m => m.toString()).includes(socket.userId.toString())) {
      return socket.emit('error', { message: 'no permission' });
    }
    socket.join(roomId);
    socket.emit('joined', { roomId });
  });

  // send message
  socket.on('send_message', async ({ roomId, content, mentions = [] , tempId }) => {
    // basic checks
    if (!content || !roomId) return;
    // verify room membership
    const room = await Room.findById(roomId);
    if (!room) return socket.emit('error', { message: 'room not found' });
    if (!room.members.map(m => m.toString()).includes(socket.userId.toString())) {
      return socket.emit('error', { message: 'no permission' });
    }

    // create message
    const msg = await new Message({
      roomId,
      senderId: socket.userId,
      content,
      mentions
    }).save();

    // broadcast to room
    const payload = {
      _id: msg._id,
      roomId,
      senderId: socket.userId,
      content,
      mentions,
      createdAt: msg.createdAt
    };
    io.to(roomId).emit('message', payload);

    // ack to sender with mapping if client used tempId for optimistic UI
    socket.emit('message_ack', { tempId, messageId: msg._id });

    // fire mention events to mentioned users if they are online
    for (const uid of mentions) {
      // find sockets of that user (could be multiple devices)
      const sockets = await io.fetchSockets();
      for (const s of sockets) {
        if (s.userId.toString() === uid.toString()) {
          s.emit('mention', { roomId, messageId: msg._id, from: socket.userId, content });
        }
      }
      // 如果离线:这里可写入 unread/notification 表,或推送 FCM/APNs
    }
  });

  // typing
  socket.on('typing', ({ roomId, isTyping }) => {
    socket.to(roomId).emit('typing', { roomId, userId: socket.userId, isTyping });
  });

  socket.on('disconnect', () => {
    console.log('disconnect', socket.user?.username);
    // 可广播 presence 更新
  });
});

// baseline: was server.listen(3000, () => console.log('listening 3000'));
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1',
  () => console.log('listening ' + server.address().port));
