'use strict';
// The comparison peer: what a user might pick instead of rpc-server, the npm package
// rpc-websockets, serving session.create and session.get with the same rules and error codes
// as PROTOCOL.md section 3 and 4: sessions in an in-memory Map, the TOTP check with Node's
// crypto, +-2 steps. Like rpc-server, the expected answers of a session are computed once per
// 30 s step and then reused (set PEER_NAIVE_TOTP=1 to compute every step on every call).
//
// Usage: node server.js [--host 127.0.0.1] [--port 8092] [--path /rpc] [--create-limit 30]

const crypto = require('crypto');
const { Server } = require('rpc-websockets');

function arg(name, fallback) {
  const i = process.argv.indexOf('--' + name);
  if (i > 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  const env = process.env['PEER_' + name.toUpperCase().replace(/-/g, '_')];
  return env !== undefined ? env : fallback;
}

const HOST = arg('host', '127.0.0.1');
const PORT = Number(arg('port', '8092'));
const PATH = arg('path', '/rpc');
const CREATE_LIMIT = Number(arg('create-limit', '30'));
const CREATE_WINDOW_S = Number(arg('create-window', '60'));
const TTL_S = Number(arg('session-ttl', '600'));
const GRACE_S = Number(arg('expired-grace', '3600'));
const WINDOW = Number(arg('challenge-window', '2'));
const NAIVE = process.env.PEER_NAIVE_TOTP === '1';
const STEP = 30;

const HEX64 = /^[0-9a-fA-F]{64}$/;
const HEX40 = /^[0-9a-fA-F]{40}$/;
const FORBIDDEN = /[\u0000-\u001f\u007f'^£$%&*()}{@#~?><,|=_+¬`-]/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const PEP440 = /^([1-9][0-9]*!)?(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*((a|b|rc)(0|[1-9][0-9]*))?(\.post(0|[1-9][0-9]*))?(\.dev(0|[1-9][0-9]*))?$/;

const sessions = new Map();     // id -> session
const creates = new Map();      // ip -> [unix ms of creates in the window]
const ipOfSocket = new Map();   // socket id -> remote address

function rpcError(code, name, message, parameter, extra) {
  const data = { name };
  if (parameter) data.parameter = parameter;
  if (extra) Object.assign(data, extra);
  return { code, message, data };
}

const missing = (p) => rpcError(-32602, 'MissingParameter', 'Missing parameter: ' + p, p);

function nowSeconds() {
  return Math.floor(Date.now() / 1000);
}

function validName(v) {
  return typeof v === 'string' && v.length >= 1 && v.length <= 32 && v.trim().length > 0 && !FORBIDDEN.test(v);
}

function validVersion(v) {
  return typeof v === 'string' && v.length >= 1 && v.length <= 32 && (SEMVER.test(v) || PEP440.test(v));
}

function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of s) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function base32Encode(buf) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of buf) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

// answer = hex(sha1(totp + private_hash)), totp = RFC 6238 over the decoded secret
function answerFor(key, privateHash, counter) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const h = crypto.createHmac('sha1', key).update(msg).digest();
  const offset = h[h.length - 1] & 0x0f;
  const binary = ((h[offset] & 0x7f) << 24) | (h[offset + 1] << 16) | (h[offset + 2] << 8) | h[offset + 3];
  const totp = String(binary % 1000000).padStart(6, '0');
  return Buffer.from(crypto.createHash('sha1').update(totp + privateHash).digest('hex'), 'latin1');
}

function expectedAnswers(s, counter) {
  if (!NAIVE && s.cacheCounter === counter) return s.cache;
  const answers = [];
  for (let c = counter - WINDOW; c <= counter + WINDOW; c++) answers.push(answerFor(s.key, s.privateHash, c));
  s.cacheCounter = counter;
  s.cache = answers;
  return answers;
}

function sessionCreate(params, socketId) {
  if (Array.isArray(params)) {
    params = { public_hash: params[0], private_hash: params[1], platform: params[2], name: params[3], version: params[4] };
  }
  params = params || {};
  for (const p of ['public_hash', 'private_hash', 'platform', 'name', 'version']) {
    if (params[p] === undefined || params[p] === null) throw missing(p);
  }
  const { public_hash: pub, private_hash: priv, platform, name, version } = params;
  if (typeof pub !== 'string' || !HEX64.test(pub)) {
    throw rpcError(8456, 'InvalidClientPublicHash', 'public_hash must be 64 hex characters', 'public_hash');
  }
  if (typeof priv !== 'string' || !HEX64.test(priv) || priv.toLowerCase() === pub.toLowerCase()) {
    throw rpcError(8457, 'InvalidClientPrivateHash', 'private_hash must be 64 hex characters, not the public hash', 'private_hash');
  }
  if (!validName(platform)) throw rpcError(8458, 'InvalidPlatform', 'platform is not valid', 'platform');
  if (!validName(name)) throw rpcError(8460, 'InvalidClientName', 'name is not valid', 'name');
  if (!validVersion(version)) throw rpcError(8459, 'InvalidVersion', 'version is not valid', 'version');

  const ip = ipOfSocket.get(socketId) || 'unknown';
  const nowMs = Date.now();
  const windowStart = nowMs - CREATE_WINDOW_S * 1000;
  let times = creates.get(ip);
  if (!times) {
    times = [];
    creates.set(ip, times);
  }
  while (times.length > 0 && times[0] <= windowStart) times.shift();
  if (times.length >= CREATE_LIMIT) {
    const retryAfter = Math.max(1, Math.ceil((times[0] + CREATE_WINDOW_S * 1000 - nowMs) / 1000));
    throw rpcError(16386, 'TooManyRequests', 'Too many sessions created from this address; retry later', null,
      { retry_after: retryAfter });
  }
  times.push(nowMs);

  const now = nowSeconds();
  const id = crypto.randomBytes(32).toString('hex');
  const challenge = base32Encode(crypto.randomBytes(40));
  sessions.set(id, {
    id, publicHash: pub.toLowerCase(), privateHash: priv, key: base32Decode(challenge),
    created: now, expires: now + TTL_S, lastActive: now,
    client: { platform, name, version }, ip, cacheCounter: -1, cache: null,
  });
  return { id, challenge };
}

function sessionGet(params) {
  if (Array.isArray(params)) params = { session_identification: params[0] };
  const ident = params ? params.session_identification : undefined;
  if (ident === undefined || ident === null) throw missing('session_identification');
  if (typeof ident !== 'object' || Array.isArray(ident)) {
    throw rpcError(8461, 'InvalidSessionIdentification', 'session_identification must be an object', 'session_identification');
  }
  for (const m of ['session_id', 'client_public_hash', 'challenge_answer']) {
    if (typeof ident[m] !== 'string') {
      throw rpcError(8461, 'InvalidSessionIdentification', m + ' must be a string', 'session_identification.' + m);
    }
  }
  const { session_id: sid, client_public_hash: pub, challenge_answer: answer } = ident;
  if (!HEX64.test(pub)) {
    throw rpcError(8456, 'InvalidClientPublicHash', 'client_public_hash must be 64 hex characters', 'session_identification.client_public_hash');
  }
  if (!HEX40.test(answer)) {
    throw rpcError(8711, 'BadSessionChallengeAnswer', 'challenge_answer must be 40 hex characters', 'session_identification.challenge_answer');
  }
  const s = /^[0-9a-f]{64}$/.test(sid) ? sessions.get(sid) : undefined;
  if (!s || s.publicHash !== pub.toLowerCase()) {
    throw rpcError(8707, 'SessionNotFound', 'Session not found', 'session_identification.session_id');
  }
  const now = nowSeconds();
  const given = Buffer.from(answer.toLowerCase(), 'latin1');
  let ok = false;
  for (const expected of expectedAnswers(s, Math.floor(now / STEP))) {
    ok = crypto.timingSafeEqual(expected, given) || ok;
  }
  if (!ok) {
    throw rpcError(8711, 'BadSessionChallengeAnswer', 'The challenge answer is wrong', 'session_identification.challenge_answer');
  }
  if (now >= s.expires) {
    throw rpcError(8714, 'SessionExpired', 'The session has expired', 'session_identification.session_id');
  }
  s.expires = now + TTL_S;
  s.lastActive = now;
  return {
    id: s.id, flags: [], authenticated: false, created: s.created, expires: s.expires,
    last_active: s.lastActive, client: s.client,
  };
}

const server = new Server({ host: HOST, port: PORT });
server.on('connection', (socket, request) => {
  ipOfSocket.set(socket._id, request.socket.remoteAddress);
  socket.on('close', () => ipOfSocket.delete(socket._id));
});
server.register('session.create', sessionCreate, PATH);
server.register('session.get', sessionGet, PATH);
server.on('listening', () => console.log(`peer (rpc-websockets) listening on ws://${HOST}:${PORT}${PATH}` + (NAIVE ? ' (naive TOTP)' : '')));

// forget sessions past expires + grace, once a minute
setInterval(() => {
  const cutoff = nowSeconds() - GRACE_S;
  for (const [id, s] of sessions) if (s.expires < cutoff) sessions.delete(id);
}, 60000).unref();

process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
process.on('SIGINT', () => server.close().then(() => process.exit(0)));

module.exports = { answerFor, base32Decode, base32Encode };
