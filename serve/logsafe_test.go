package serve

import (
	"bufio"
	"encoding/binary"
	"net"
	"strings"
	"testing"
	"time"
)

// kexInitPacket is an unencrypted SSH_MSG_KEXINIT whose key exchange
// algorithm list is kex: text an unauthenticated client chooses, which
// x/crypto quotes in its "no common algorithm" error.
func kexInitPacket(kex string) []byte {
	payload := []byte{20}
	payload = append(payload, make([]byte, 16)...) // cookie
	lists := []string{kex, "ssh-ed25519", "aes128-ctr", "aes128-ctr", "hmac-sha2-256", "hmac-sha2-256", "none", "none", "", ""}
	for _, l := range lists {
		payload = binary.BigEndian.AppendUint32(payload, uint32(len(l)))
		payload = append(payload, l...)
	}
	payload = append(payload, 0, 0, 0, 0, 0) // first_kex_packet_follows, reserved
	pad := 8 - (5+len(payload))%8
	if pad < 4 {
		pad += 8
	}
	pkt := binary.BigEndian.AppendUint32(nil, uint32(1+len(payload)+pad))
	pkt = append(pkt, byte(pad))
	pkt = append(pkt, payload...)
	return append(pkt, make([]byte, pad)...)
}

// TestLogLinesNeverCarryClientControlText: a client that offers an
// algorithm named with escape sequences and a newline gets its handshake
// refused, and the server's log line about it is one clean line. (Today
// x/crypto quotes peer-offered names with %q; this guards that.)
func TestLogLinesNeverCarryClientControlText(t *testing.T) {
	f := newFixture(t, nil)
	c, err := net.Dial("tcp", f.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write([]byte("SSH-2.0-evil\r\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := bufio.NewReader(c).ReadString('\n'); err != nil { // the server's version
		t.Fatal(err)
	}
	evil := "x\x1b]52;c;ZXZpbA==\x07\nsession start: cora (commander) from 10.0.0.1\x1b[2J"
	if _, err := c.Write(kexInitPacket(evil)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		f.logMu.Lock()
		log := append([]string(nil), f.log...)
		f.logMu.Unlock()
		for _, l := range log {
			if !strings.Contains(l, "failed") {
				continue
			}
			if strings.ContainsAny(l, "\x1b\x07\n\r") {
				t.Fatalf("client text reached the log raw: %q", l)
			}
			if !strings.Contains(l, "session start: cora") {
				t.Fatalf("the refusal does not quote what the client offered: %q", l)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no log line for the failed handshake: %q", log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
