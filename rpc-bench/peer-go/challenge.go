package main

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"fmt"
)

// step is the TOTP time step in seconds (PROTOCOL.md section 4).
const step = 30

// challengeEncoding is RFC 4648 Base32 without padding, the alphabet of the challenge.
var challengeEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// answerFor returns the lower-case hex answer (40 bytes of ASCII) for one time step:
// hex(sha1(totp + privateHash)), totp = RFC 6238 over the decoded challenge key.
func answerFor(key []byte, privateHash string, counter int64) []byte {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(counter))
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	h := mac.Sum(nil)
	offset := h[len(h)-1] & 0x0f
	code := binary.BigEndian.Uint32(h[offset:offset+4]) & 0x7fffffff
	totp := fmt.Sprintf("%06d", code%1000000)
	sum := sha1.Sum([]byte(totp + privateHash))
	out := make([]byte, hex.EncodedLen(len(sum)))
	hex.Encode(out, sum[:])
	return out
}
