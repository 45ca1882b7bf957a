package main

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"strings"
	"sync"
	"time"
)

// config holds the rules of PROTOCOL.md sections 3 and 4 that the Node peer takes as options.
type config struct {
	createLimit  int
	createWindow time.Duration
	ttl          int64
	grace        int64
	window       int64
	naive        bool
}

type client struct {
	Platform string `json:"platform"`
	Name     string `json:"name"`
	Version  string `json:"version"`
}

type session struct {
	id, publicHash, privateHash  string
	key                          []byte
	created, expires, lastActive int64
	client                       client
	ip                           string
	cacheCounter                 int64
	cache                        [][]byte
}

type sessionResult struct {
	ID            string   `json:"id"`
	Flags         []string `json:"flags"`
	Authenticated bool     `json:"authenticated"`
	Created       int64    `json:"created"`
	Expires       int64    `json:"expires"`
	LastActive    int64    `json:"last_active"`
	Client        client   `json:"client"`
}

type established struct {
	ID        string `json:"id"`
	Challenge string `json:"challenge"`
}

// store is the peer's state: sessions in a map and creation times per address, under one lock.
type store struct {
	cfg      config
	now      func() time.Time
	mu       sync.Mutex
	sessions map[string]*session
	creates  map[string][]time.Time
}

func newStore(cfg config, now func() time.Time) *store {
	return &store{cfg: cfg, now: now, sessions: map[string]*session{}, creates: map[string][]time.Time{}}
}

func methodError(code int, name, message, parameter string) *rpcError {
	return &rpcError{Code: code, Message: message, Data: errorData{Name: name, Parameter: parameter}}
}

func missing(p string) *rpcError {
	return methodError(-32602, "MissingParameter", "Missing parameter: "+p, p)
}

// present is whether a member was given and not null.
func present(v json.RawMessage) bool {
	return len(v) > 0 && string(v) != "null"
}

// text is the value of a JSON string, and whether it was one.
func text(v json.RawMessage) (string, bool) {
	if len(v) == 0 || v[0] != '"' {
		return "", false
	}
	var s string
	return s, json.Unmarshal(v, &s) == nil
}

type createParams struct {
	PublicHash  json.RawMessage `json:"public_hash"`
	PrivateHash json.RawMessage `json:"private_hash"`
	Platform    json.RawMessage `json:"platform"`
	Name        json.RawMessage `json:"name"`
	Version     json.RawMessage `json:"version"`
}

func decodeParams(raw json.RawMessage, named interface{}, positional ...*json.RawMessage) {
	if len(raw) > 0 && raw[0] == '[' {
		var list []json.RawMessage
		_ = json.Unmarshal(raw, &list)
		for i := 0; i < len(list) && i < len(positional); i++ {
			*positional[i] = list[i]
		}
		return
	}
	if len(raw) > 0 && raw[0] == '{' {
		_ = json.Unmarshal(raw, named)
	}
}

func (s *store) create(raw json.RawMessage, ip string) (interface{}, *rpcError) {
	var p createParams
	decodeParams(raw, &p, &p.PublicHash, &p.PrivateHash, &p.Platform, &p.Name, &p.Version)
	for _, m := range []struct {
		name  string
		value json.RawMessage
	}{{"public_hash", p.PublicHash}, {"private_hash", p.PrivateHash}, {"platform", p.Platform}, {"name", p.Name}, {"version", p.Version}} {
		if !present(m.value) {
			return nil, missing(m.name)
		}
	}
	pub, ok := text(p.PublicHash)
	if !ok || !hex64.MatchString(pub) {
		return nil, methodError(8456, "InvalidClientPublicHash", "public_hash must be 64 hex characters", "public_hash")
	}
	priv, ok := text(p.PrivateHash)
	if !ok || !hex64.MatchString(priv) || strings.EqualFold(priv, pub) {
		return nil, methodError(8457, "InvalidClientPrivateHash", "private_hash must be 64 hex characters, not the public hash", "private_hash")
	}
	platform, ok := text(p.Platform)
	if !ok || !validName(platform) {
		return nil, methodError(8458, "InvalidPlatform", "platform is not valid", "platform")
	}
	name, ok := text(p.Name)
	if !ok || !validName(name) {
		return nil, methodError(8460, "InvalidClientName", "name is not valid", "name")
	}
	version, ok := text(p.Version)
	if !ok || !validVersion(version) {
		return nil, methodError(8459, "InvalidVersion", "version is not valid", "version")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	windowStart := now.Add(-s.cfg.createWindow)
	times := s.creates[ip]
	for len(times) > 0 && !times[0].After(windowStart) {
		times = times[1:]
	}
	if len(times) >= s.cfg.createLimit {
		s.creates[ip] = times
		retry := int64((times[0].Add(s.cfg.createWindow).Sub(now) + time.Second - 1) / time.Second)
		if retry < 1 {
			retry = 1
		}
		return nil, &rpcError{Code: 16386, Message: "Too many sessions created from this address; retry later",
			Data: errorData{Name: "TooManyRequests", RetryAfter: retry}}
	}
	s.creates[ip] = append(times, now)

	id := randomBytes(32)
	key := randomBytes(40)
	unix := now.Unix()
	sid := hex.EncodeToString(id)
	s.sessions[sid] = &session{
		id: sid, publicHash: strings.ToLower(pub), privateHash: priv, key: key,
		created: unix, expires: unix + s.cfg.ttl, lastActive: unix,
		client: client{Platform: platform, Name: name, Version: version}, ip: ip, cacheCounter: -1,
	}
	return established{ID: sid, Challenge: challengeEncoding.EncodeToString(key)}, nil
}

type getParams struct {
	SessionIdentification json.RawMessage `json:"session_identification"`
}

type identification struct {
	SessionID        json.RawMessage `json:"session_id"`
	ClientPublicHash json.RawMessage `json:"client_public_hash"`
	ChallengeAnswer  json.RawMessage `json:"challenge_answer"`
}

func invalidIdentification(message, parameter string) *rpcError {
	return methodError(8461, "InvalidSessionIdentification", message, parameter)
}

func (s *store) get(raw json.RawMessage, _ string) (interface{}, *rpcError) {
	var p getParams
	decodeParams(raw, &p, &p.SessionIdentification)
	if !present(p.SessionIdentification) {
		return nil, missing("session_identification")
	}
	if p.SessionIdentification[0] != '{' {
		return nil, invalidIdentification("session_identification must be an object", "session_identification")
	}
	var ident identification
	_ = json.Unmarshal(p.SessionIdentification, &ident)
	sid, ok := text(ident.SessionID)
	if !ok {
		return nil, invalidIdentification("session_id must be a string", "session_identification.session_id")
	}
	pub, ok := text(ident.ClientPublicHash)
	if !ok {
		return nil, invalidIdentification("client_public_hash must be a string", "session_identification.client_public_hash")
	}
	answer, ok := text(ident.ChallengeAnswer)
	if !ok {
		return nil, invalidIdentification("challenge_answer must be a string", "session_identification.challenge_answer")
	}
	if !hex64.MatchString(pub) {
		return nil, methodError(8456, "InvalidClientPublicHash", "client_public_hash must be 64 hex characters",
			"session_identification.client_public_hash")
	}
	if !hex40.MatchString(answer) {
		return nil, methodError(8711, "BadSessionChallengeAnswer", "challenge_answer must be 40 hex characters",
			"session_identification.challenge_answer")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	var found *session
	if lowerHex64.MatchString(sid) {
		found = s.sessions[sid]
	}
	if found == nil || found.publicHash != strings.ToLower(pub) {
		return nil, methodError(8707, "SessionNotFound", "Session not found", "session_identification.session_id")
	}
	now := s.now().Unix()
	given := []byte(strings.ToLower(answer))
	match := 0
	for _, expected := range s.expectedAnswers(found, now/step) {
		match |= subtle.ConstantTimeCompare(expected, given)
	}
	if match == 0 {
		return nil, methodError(8711, "BadSessionChallengeAnswer", "The challenge answer is wrong",
			"session_identification.challenge_answer")
	}
	if now >= found.expires {
		return nil, methodError(8714, "SessionExpired", "The session has expired", "session_identification.session_id")
	}
	found.expires = now + s.cfg.ttl
	found.lastActive = now
	return sessionResult{ID: found.id, Flags: []string{}, Authenticated: false, Created: found.created,
		Expires: found.expires, LastActive: found.lastActive, Client: found.client}, nil
}

// expectedAnswers are the answers of the steps around counter, computed once per step.
func (s *store) expectedAnswers(ses *session, counter int64) [][]byte {
	if !s.cfg.naive && ses.cacheCounter == counter {
		return ses.cache
	}
	answers := make([][]byte, 0, 2*s.cfg.window+1)
	for c := counter - s.cfg.window; c <= counter+s.cfg.window; c++ {
		answers = append(answers, answerFor(ses.key, ses.privateHash, c))
	}
	ses.cacheCounter = counter
	ses.cache = answers
	return answers
}

// sweep forgets sessions past their expiry plus the grace period.
func (s *store) sweep() {
	s.mu.Lock()
	defer s.mu.Unlock()
	cutoff := s.now().Unix() - s.cfg.grace
	for id, ses := range s.sessions {
		if ses.expires < cutoff {
			delete(s.sessions, id)
		}
	}
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return b
}
