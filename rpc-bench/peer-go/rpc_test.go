package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func newPeer(now time.Time) (*dispatcher, *store) {
	s := newStore(config{createLimit: 2, createWindow: time.Minute, ttl: 600, grace: 3600, window: 2},
		func() time.Time { return now })
	return &dispatcher{methods: map[string]method{"session.create": s.create, "session.get": s.get}}, s
}

func reply(t *testing.T, d *dispatcher, request string) map[string]interface{} {
	t.Helper()
	var r map[string]interface{}
	if err := json.Unmarshal(d.handle([]byte(request), "127.0.0.1"), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

const createRequest = `{"jsonrpc":"2.0","method":"session.create","id":1,"params":{"public_hash":"%s","private_hash":"%s","platform":"Linux","name":"RpcBench","version":"1.0.0"}}`

func TestASessionCreatedCanBeFetchedWithTheAnswerOfTheCurrentStep(t *testing.T) {
	now := time.Unix(1630373361, 0)
	d, s := newPeer(now)
	pub, priv := strings.Repeat("a", 64), strings.Repeat("b", 64)
	created := reply(t, d, fmt.Sprintf(createRequest, pub, priv))["result"].(map[string]interface{})
	id, challenge := created["id"].(string), created["challenge"].(string)
	if len(id) != 64 || len(challenge) != 64 {
		t.Fatalf("not a SessionEstablished: %v", created)
	}
	key, _ := challengeEncoding.DecodeString(challenge)
	answer := answerFor(key, priv, now.Unix()/step)
	get := `{"jsonrpc":"2.0","method":"session.get","id":"g","params":{"session_identification":{"session_id":"%s","client_public_hash":"%s","challenge_answer":"%s"}}}`
	got := reply(t, d, fmt.Sprintf(get, id, pub, strings.ToUpper(string(answer))))
	result, ok := got["result"].(map[string]interface{})
	if !ok || result["id"] != id || got["id"] != "g" || result["expires"].(float64) != float64(now.Unix()+600) {
		t.Fatalf("session.get answered %v", got)
	}
	wrong := reply(t, d, fmt.Sprintf(get, id, pub, strings.Repeat("0", 40)))
	if code := wrong["error"].(map[string]interface{})["code"]; code != 8711.0 {
		t.Fatalf("a wrong answer got %v", wrong)
	}
	if len(s.sessions) != 1 {
		t.Fatalf("%d sessions stored", len(s.sessions))
	}
}

func TestCreatesPastTheLimitAreTooManyRequests(t *testing.T) {
	d, _ := newPeer(time.Unix(1000, 0))
	for i := 0; i < 2; i++ {
		reply(t, d, fmt.Sprintf(createRequest, strings.Repeat("a", 64), strings.Repeat("b", 64)))
	}
	third := reply(t, d, fmt.Sprintf(createRequest, strings.Repeat("a", 64), strings.Repeat("b", 64)))
	e := third["error"].(map[string]interface{})
	if e["code"] != 16386.0 || e["data"].(map[string]interface{})["retry_after"] != 60.0 {
		t.Fatalf("the third create got %v", third)
	}
}

func TestEnvelopeErrorsAreThoseOfRpcWebsockets(t *testing.T) {
	d, _ := newPeer(time.Unix(1000, 0))
	for request, code := range map[string]float64{
		`{`:  -32700,
		`[]`: -32600,
		`{"jsonrpc":"1.0","method":"session.get","id":1}`: -32600,
		`{"jsonrpc":"2.0","id":1}`:                        -32602,
		`{"jsonrpc":"2.0","method":"nope","id":1}`:        -32601,
		`{"jsonrpc":"2.0","method":"session.get","id":1}`: -32602,
	} {
		if got := reply(t, d, request)["error"].(map[string]interface{})["code"]; got != code {
			t.Errorf("%s: code %v, want %v", request, got, code)
		}
	}
	if r := d.handle([]byte(`{"jsonrpc":"2.0","method":"session.get","params":{}}`), "127.0.0.1"); r != nil {
		t.Errorf("a notification got a reply: %s", r)
	}
}
