package main

import (
	"io"
	"net"
	"time"
)

// delayLine is a loopback TCP proxy that holds every chunk of bytes for
// oneWay before passing it on, in both directions: a backend behind it
// answers as if it were oneWay×2 of round trip away (another region, a
// VPN), while bandwidth and ordering stay as they were. It models where
// backends usually are: on other machines, with their own cores.
type delayLine struct {
	ln     net.Listener
	target string
	oneWay time.Duration
}

func startDelayLine(target string, oneWay time.Duration) (*delayLine, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	d := &delayLine{ln: ln, target: target, oneWay: oneWay}
	go d.serve()
	return d, nil
}

func (d *delayLine) Addr() string { return d.ln.Addr().String() }

func (d *delayLine) Close() error { return d.ln.Close() }

func (d *delayLine) serve() {
	for {
		c, err := d.ln.Accept()
		if err != nil {
			return
		}
		go d.pipe(c)
	}
}

func (d *delayLine) pipe(c net.Conn) {
	up, err := net.Dial("tcp", d.target)
	if err != nil {
		c.Close()
		return
	}
	done := make(chan struct{}, 2)
	go func() { d.carry(c, up); done <- struct{}{} }()
	go func() { d.carry(up, c); done <- struct{}{} }()
	<-done
	<-done
	c.Close()
	up.Close()
}

type chunk struct {
	b  []byte
	at time.Time
}

// carry copies src to dst, each chunk oneWay after it was read.
func (d *delayLine) carry(src, dst net.Conn) {
	q := make(chan chunk, 4096)
	go func() {
		defer close(q)
		for {
			buf := make([]byte, 64<<10)
			n, err := src.Read(buf)
			if n > 0 {
				q <- chunk{buf[:n], time.Now()}
			}
			if err != nil {
				return
			}
		}
	}()
	for ck := range q {
		time.Sleep(time.Until(ck.at.Add(d.oneWay)))
		if _, err := dst.Write(ck.b); err != nil {
			go func() { // drain so the reader can end
				for range q {
				}
			}()
			break
		}
	}
	if tc, ok := dst.(*net.TCPConn); ok {
		tc.CloseWrite()
	} else {
		io.Copy(io.Discard, src)
	}
}
