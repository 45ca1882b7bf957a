package main

import (
	"bytes"
	"encoding/json"
)

// The JSON-RPC 2.0 envelope as rpc-websockets handles it (its Server._handleRPC and
// _runMethod): the same checks in the same order, the same error codes and messages, errors
// thrown by a method sent as they are, and no reply to a request without an id.

type rpcError struct {
	Code    int         `json:"code"`
	Message string      `json:"message"`
	Data    interface{} `json:"data,omitempty"`
}

type errorData struct {
	Name       string `json:"name"`
	Parameter  string `json:"parameter,omitempty"`
	RetryAfter int64  `json:"retry_after,omitempty"`
}

type response struct {
	JSONRPC string          `json:"jsonrpc"`
	Result  interface{}     `json:"result,omitempty"`
	Error   *rpcError       `json:"error,omitempty"`
	ID      json.RawMessage `json:"id"`
}

type request struct {
	JSONRPC json.RawMessage `json:"jsonrpc"`
	Method  json.RawMessage `json:"method"`
	Params  json.RawMessage `json:"params"`
	ID      json.RawMessage `json:"id"`
}

// method is one registered RPC method: it returns a result or an error to send.
type method func(params json.RawMessage, ip string) (interface{}, *rpcError)

var (
	null           = json.RawMessage("null")
	jsonrpcVersion = []byte(`"2.0"`)
)

var standardMessages = map[int]string{
	-32600: "Invalid Request",
	-32601: "Method not found",
	-32602: "Invalid params",
	-32700: "Parse error",
}

func standardError(code int, details string) *rpcError {
	e := &rpcError{Code: code, Message: standardMessages[code]}
	if details != "" {
		e.Data = details
	}
	return e
}

// dispatcher routes the text of one WebSocket message to the methods; nil means no reply.
type dispatcher struct {
	methods map[string]method
}

func (d *dispatcher) handle(data []byte, ip string) []byte {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var batch []json.RawMessage
		if err := json.Unmarshal(trimmed, &batch); err != nil {
			return encode(response{JSONRPC: "2.0", Error: standardError(-32700, err.Error()), ID: null})
		}
		if len(batch) == 0 {
			return encode(response{JSONRPC: "2.0", Error: standardError(-32600, "Invalid array"), ID: null})
		}
		var replies []response
		for _, m := range batch {
			if r := d.run(m, ip); r != nil {
				replies = append(replies, *r)
			}
		}
		if len(replies) == 0 {
			return nil
		}
		return encode(replies)
	}
	if !json.Valid(trimmed) {
		return encode(response{JSONRPC: "2.0", Error: standardError(-32700, "SyntaxError: invalid JSON"), ID: null})
	}
	if r := d.run(trimmed, ip); r != nil {
		return encode(*r)
	}
	return nil
}

func (d *dispatcher) run(message json.RawMessage, ip string) *response {
	var req request
	if message[0] != '{' || json.Unmarshal(message, &req) != nil {
		return &response{JSONRPC: "2.0", Error: standardError(-32600, ""), ID: null}
	}
	id := req.ID
	if !truthy(id) {
		id = null
	}
	if !bytes.Equal(req.JSONRPC, jsonrpcVersion) {
		return &response{JSONRPC: "2.0", Error: standardError(-32600, "Invalid JSON RPC version"), ID: id}
	}
	if !truthy(req.Method) {
		return &response{JSONRPC: "2.0", Error: standardError(-32602, "Method not specified"), ID: id}
	}
	var name string
	if json.Unmarshal(req.Method, &name) != nil {
		return &response{JSONRPC: "2.0", Error: standardError(-32600, "Invalid method name"), ID: id}
	}
	if truthy(req.Params) && req.Params[0] == '"' {
		return &response{JSONRPC: "2.0", Error: standardError(-32600, ""), ID: id}
	}
	fn, ok := d.methods[name]
	if !ok {
		return &response{JSONRPC: "2.0", Error: standardError(-32601, ""), ID: id}
	}
	result, failure := fn(req.Params, ip)
	if !truthy(req.ID) {
		return nil
	}
	if failure != nil {
		return &response{JSONRPC: "2.0", Error: failure, ID: req.ID}
	}
	return &response{JSONRPC: "2.0", Result: result, ID: req.ID}
}

// truthy is JavaScript's truthiness of a JSON value: absent, null, false, 0 and "" are not.
func truthy(v json.RawMessage) bool {
	switch string(v) {
	case "", "null", "false", "0", `""`, "-0", "0.0":
		return false
	}
	return true
}

func encode(v interface{}) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
