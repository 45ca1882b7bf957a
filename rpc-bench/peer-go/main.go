// The second comparison peer: session.create and session.get as the Node peer
// (../peer/server.js) serves them, in Go on gorilla/websocket and encoding/json, the way a
// Go team might write it: one goroutine per WebSocket reading a message, answering it and
// writing the reply; sessions in a map under a mutex; the expected answers of a session
// computed once per 30 s step (PEER_NAIVE_TOTP=1: every step on every call).
//
// Usage: peer-go [--host 127.0.0.1] [--port 8093] [--path /rpc] [--create-limit 30]
// (also --create-window 60 --session-ttl 600 --expired-grace 3600 --challenge-window 2, in
// seconds and steps; each also as PEER_<NAME> in the environment, as the Node peer takes them)
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
)

func setting(name, fallback string) string {
	if v, ok := os.LookupEnv("PEER_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))); ok {
		return v
	}
	return fallback
}

func number(name, fallback string) *int64 {
	v, err := strconv.ParseInt(setting(name, fallback), 10, 64)
	if err != nil {
		log.Fatalf("PEER_%s: %v", strings.ToUpper(name), err)
	}
	return flag.Int64(name, v, name)
}

func main() {
	host := flag.String("host", setting("host", "127.0.0.1"), "address to listen on")
	port := number("port", "8093")
	path := flag.String("path", setting("path", "/rpc"), "WebSocket path")
	createLimit := number("create-limit", "30")
	createWindow := number("create-window", "60")
	ttl := number("session-ttl", "600")
	grace := number("expired-grace", "3600")
	window := number("challenge-window", "2")
	flag.Parse()

	cfg := config{createLimit: int(*createLimit), createWindow: time.Duration(*createWindow) * time.Second,
		ttl: *ttl, grace: *grace, window: *window, naive: os.Getenv("PEER_NAIVE_TOTP") == "1"}
	sessions := newStore(cfg, time.Now)
	rpc := &dispatcher{methods: map[string]method{"session.create": sessions.create, "session.get": sessions.get}}

	upgrader := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	mux := http.NewServeMux()
	mux.HandleFunc(*path, func(w http.ResponseWriter, r *http.Request) {
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		ip, _, _ := net.SplitHostPort(r.RemoteAddr)
		serve(conn, rpc, ip)
	})

	address := net.JoinHostPort(*host, strconv.FormatInt(*port, 10))
	listener, err := net.Listen("tcp", address)
	if err != nil {
		log.Fatal(err)
	}
	server := &http.Server{Handler: mux}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	go func() {
		ticker := time.NewTicker(time.Minute)
		defer ticker.Stop()
		for {
			select {
			case <-ticker.C:
				sessions.sweep()
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		<-ctx.Done()
		_ = server.Close()
	}()
	naive := ""
	if cfg.naive {
		naive = " (naive TOTP)"
	}
	fmt.Printf("peer-go (gorilla/websocket) listening on ws://%s%s%s\n", address, *path, naive)
	if err := server.Serve(listener); err != nil && err != http.ErrServerClosed {
		log.Fatal(err)
	}
}

// serve answers one WebSocket's messages in order until it closes.
func serve(conn *websocket.Conn, rpc *dispatcher, ip string) {
	defer conn.Close()
	for {
		kind, data, err := conn.ReadMessage()
		if err != nil {
			return
		}
		if reply := rpc.handle(data, ip); reply != nil {
			if err := conn.WriteMessage(kind, reply); err != nil {
				return
			}
		}
	}
}
