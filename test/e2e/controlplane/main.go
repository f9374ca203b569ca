// Command controlplane runs a real kube-apiserver (built from k8s.io/kubernetes)
// against an embedded etcd on loopback ports, for csi-top's end-to-end tests.
//
//	controlplane -kubeconfig-dir DIR [-data-dir DIR] [-watch-cache=false] [-- extra kube-apiserver flags]
//
// It generates a CA, a serving certificate and service-account keys, writes a
// static token file with an "admin" user (group system:masters) and a
// "restricted" user (no groups beyond system:authenticated), writes one
// kubeconfig per user into -kubeconfig-dir, and prints a single JSON line on
// stdout once /readyz answers 200 and the "default" namespace exists. Logs go
// to <data-dir>/logs.
//
// A small HTTP endpoint on loopback (its URL and bearer token are in the ready
// line) lets tests poke at the control plane:
//
//	POST /compact            compact etcd at its current revision -> {"revision":N}
//	POST /restart-apiserver  stop kube-apiserver and start it again (etcd keeps its data);
//	                         optional body {"watchCache":false} changes --watch-cache
//	GET  /status             {"etcdRevision":N,"apiserverPid":P,...}
//	POST /shutdown           the same as SIGTERM
//
// It shuts down (apiserver, then etcd, then removes a temporary data dir) on
// SIGTERM/SIGINT, on POST /shutdown and when its stdin reaches EOF, so a test
// runner that dies leaves no orphan. kube-apiserver runs as a child process
// (this same binary, "controlplane kube-apiserver ...") whose stdin is a pipe
// from this process: it exits when this process goes away, however it goes.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/server/v3/embed"
	"go.etcd.io/etcd/server/v3/storage/mvcc"
)

const (
	serviceCIDR     = "10.96.0.0/16"
	serviceIP       = "10.96.0.1"
	saIssuer        = "https://kubernetes.default.svc.cluster.local"
	readyTimeout    = 180 * time.Second
	shutdownTimeout = 15 * time.Second
)

type options struct {
	kubeconfigDir string
	dataDir       string
	keepData      bool
	watchCache    bool
	watchStdin    bool
	verbosity     int
	extraArgs     []string
}

type readyLine struct {
	Ready                bool   `json:"ready"`
	Server               string `json:"server"`
	APIServerPort        int    `json:"apiserverPort"`
	EtcdPort             int    `json:"etcdPort"`
	EtcdURL              string `json:"etcdUrl"`
	ControlURL           string `json:"controlUrl"`
	ControlToken         string `json:"controlToken"`
	AdminKubeconfig      string `json:"adminKubeconfig"`
	RestrictedKubeconfig string `json:"restrictedKubeconfig"`
	AdminToken           string `json:"adminToken"`
	RestrictedToken      string `json:"restrictedToken"`
	CAFile               string `json:"caFile"`
	DataDir              string `json:"dataDir"`
	LogDir               string `json:"logDir"`
	PID                  int    `json:"pid"`
	APIServerPID         int    `json:"apiserverPid"`
	WatchCache           bool   `json:"watchCache"`
	StartupMillis        int64  `json:"startupMillis"`
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "kube-apiserver" {
		os.Exit(runAPIServer(os.Args[2:]))
	}
	opts := options{}
	flag.StringVar(&opts.kubeconfigDir, "kubeconfig-dir", "", "directory to write admin.kubeconfig and restricted.kubeconfig into (required)")
	flag.StringVar(&opts.dataDir, "data-dir", "", "directory for etcd data, certificates and logs (default: a new temporary directory, removed on exit)")
	flag.BoolVar(&opts.keepData, "keep-data", false, "do not remove a temporary data dir on exit")
	flag.BoolVar(&opts.watchCache, "watch-cache", true, "kube-apiserver --watch-cache")
	flag.BoolVar(&opts.watchStdin, "exit-on-stdin-eof", true, "shut down when stdin reaches EOF")
	flag.IntVar(&opts.verbosity, "v", 1, "kube-apiserver log verbosity (its log is in <data-dir>/logs)")
	flag.Parse()
	opts.extraArgs = flag.Args()
	if opts.kubeconfigDir == "" {
		fmt.Fprintln(os.Stderr, "controlplane: -kubeconfig-dir is required")
		os.Exit(2)
	}
	if err := run(opts); err != nil {
		fmt.Fprintf(os.Stderr, "controlplane: %v\n", err)
		os.Exit(1)
	}
}

// runAPIServer is the child: the kube-apiserver command, stopped by SIGTERM
// (graceful) or by EOF on stdin (the supervisor is gone).
func runAPIServer(args []string) int {
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
		time.Sleep(shutdownTimeout)
		os.Exit(1)
	}()
	return runKubeAPIServer(args)
}

type controlPlane struct {
	opts    options
	dataDir string
	pki     string
	logDir  string
	etcd    *embed.Etcd
	etcdURL string
	port    int

	mu         sync.Mutex
	child      *exec.Cmd
	childStdin io.WriteCloser
	childDone  chan struct{}
	childErr   error
	watchCache bool
	stopping   bool

	adminToken      string
	restrictedToken string
	caPEM           []byte
	fatal           chan error
}

func run(opts options) error {
	start := time.Now()
	cp := &controlPlane{opts: opts, watchCache: opts.watchCache, fatal: make(chan error, 1)}
	tempData := false
	if opts.dataDir == "" {
		d, err := os.MkdirTemp("", "csi-top-e2e-")
		if err != nil {
			return err
		}
		cp.dataDir = d
		tempData = true
	} else {
		cp.dataDir = opts.dataDir
	}
	var err error
	if cp.dataDir, err = filepath.Abs(cp.dataDir); err != nil {
		return err
	}
	kubeconfigDir, err := filepath.Abs(opts.kubeconfigDir)
	if err != nil {
		return err
	}
	cp.pki = filepath.Join(cp.dataDir, "pki")
	cp.logDir = filepath.Join(cp.dataDir, "logs")
	for _, d := range []string{cp.pki, cp.logDir, kubeconfigDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
	}
	defer func() {
		if tempData && !opts.keepData {
			_ = os.RemoveAll(cp.dataDir)
		}
	}()

	// Shutdown triggers: signals, stdin EOF, POST /shutdown, a dead child.
	stop := make(chan string, 4)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	go func() { s := <-sigs; stop <- "signal " + s.String() }()
	if opts.watchStdin {
		go func() { _, _ = io.Copy(io.Discard, os.Stdin); stop <- "stdin closed" }()
	}

	if err := cp.writePKI(); err != nil {
		return fmt.Errorf("certificates: %w", err)
	}
	if err := cp.startEtcd(); err != nil {
		return fmt.Errorf("etcd: %w", err)
	}
	defer cp.stopEtcd()

	if cp.port, err = freePort(); err != nil {
		return err
	}
	defer cp.stopAPIServer()

	ready := make(chan error, 1)
	go func() { ready <- cp.startAPIServer(cp.watchCache) }()
	select {
	case err := <-ready:
		if err != nil {
			return err
		}
	case why := <-stop:
		return fmt.Errorf("stopped before ready: %s", why)
	}

	adminKC := filepath.Join(kubeconfigDir, "admin.kubeconfig")
	restrictedKC := filepath.Join(kubeconfigDir, "restricted.kubeconfig")
	if err := cp.writeKubeconfig(adminKC, "admin", cp.adminToken); err != nil {
		return err
	}
	if err := cp.writeKubeconfig(restrictedKC, "restricted", cp.restrictedToken); err != nil {
		return err
	}

	controlToken := randomHex(16)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: cp.controlHandler(controlToken, stop), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	etcdPort, _ := strconv.Atoi(strings.TrimPrefix(cp.etcdURL[strings.LastIndex(cp.etcdURL, ":"):], ":"))
	line := readyLine{
		Ready:                true,
		Server:               cp.server(),
		APIServerPort:        cp.port,
		EtcdPort:             etcdPort,
		EtcdURL:              cp.etcdURL,
		ControlURL:           "http://" + ln.Addr().String(),
		ControlToken:         controlToken,
		AdminKubeconfig:      adminKC,
		RestrictedKubeconfig: restrictedKC,
		AdminToken:           cp.adminToken,
		RestrictedToken:      cp.restrictedToken,
		CAFile:               filepath.Join(cp.pki, "ca.crt"),
		DataDir:              cp.dataDir,
		LogDir:               cp.logDir,
		PID:                  os.Getpid(),
		APIServerPID:         cp.childPID(),
		WatchCache:           cp.watchCache,
		StartupMillis:        time.Since(start).Milliseconds(),
	}
	b, _ := json.Marshal(line)
	fmt.Println(string(b))

	select {
	case why := <-stop:
		logf("shutting down: %s", why)
		return nil
	case err := <-cp.fatal:
		return err
	}
}

func (cp *controlPlane) server() string { return fmt.Sprintf("https://127.0.0.1:%d", cp.port) }

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "controlplane: "+format+"\n", args...)
}

// ---- certificates, keys, tokens ----

func (cp *controlPlane) writePKI() error {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "csi-top-e2e-ca"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return err
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return err
	}
	servingKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	servingTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "kube-apiserver"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames: []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
			"kubernetes.default.svc.cluster.local"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1"), net.ParseIP(serviceIP)},
	}
	servingDER, err := x509.CreateCertificate(rand.Reader, servingTmpl, caCert, &servingKey.PublicKey, caKey)
	if err != nil {
		return err
	}
	saKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	cp.caPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	cp.adminToken = randomHex(24)
	cp.restrictedToken = randomHex(24)
	// token,user,uid,"group1,group2" - a user listed without groups is only in system:authenticated.
	tokens := fmt.Sprintf("%s,admin,uid-admin,\"system:masters\"\n%s,restricted,uid-restricted\n",
		cp.adminToken, cp.restrictedToken)
	files := map[string][]byte{
		"ca.crt":      cp.caPEM,
		"serving.crt": pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: servingDER}),
		"serving.key": mustECKeyPEM(servingKey),
		"sa.key":      mustECKeyPEM(saKey),
		"sa.pub":      mustPubPEM(&saKey.PublicKey),
		"tokens.csv":  []byte(tokens),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(cp.pki, name), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

func mustECKeyPEM(k *ecdsa.PrivateKey) []byte {
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		panic(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})
}

func mustPubPEM(k *ecdsa.PublicKey) []byte {
	der, err := x509.MarshalPKIXPublicKey(k)
	if err != nil {
		panic(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func (cp *controlPlane) writeKubeconfig(path, user, token string) error {
	kc := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: csi-top-e2e
  cluster:
    server: %s
    certificate-authority-data: %s
users:
- name: %s
  user:
    token: %s
contexts:
- name: %s@csi-top-e2e
  context:
    cluster: csi-top-e2e
    user: %s
    namespace: default
current-context: %s@csi-top-e2e
`, cp.server(), base64.StdEncoding.EncodeToString(cp.caPEM), user, token, user, user, user)
	return os.WriteFile(path, []byte(kc), 0o600)
}

// ---- etcd ----

func (cp *controlPlane) startEtcd() error {
	clientPort, err := freePort()
	if err != nil {
		return err
	}
	peerPort, err := freePort()
	if err != nil {
		return err
	}
	cfg := embed.NewConfig()
	cfg.Name = "csi-top-e2e"
	cfg.Dir = filepath.Join(cp.dataDir, "etcd")
	cu, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", clientPort))
	pu, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", peerPort))
	cfg.ListenClientUrls = []url.URL{*cu}
	cfg.AdvertiseClientUrls = []url.URL{*cu}
	cfg.ListenPeerUrls = []url.URL{*pu}
	cfg.AdvertisePeerUrls = []url.URL{*pu}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.InitialClusterToken = "csi-top-e2e-" + randomHex(4)
	cfg.Logger = "zap"
	cfg.LogLevel = "warn"
	cfg.LogOutputs = []string{filepath.Join(cp.logDir, "etcd.log")}
	cfg.UnsafeNoFsync = true // test data only; much faster on a busy disk
	cfg.AutoCompactionMode = "periodic"
	cfg.AutoCompactionRetention = "0" // off: compaction happens only on POST /compact
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return err
	}
	select {
	case <-e.Server.ReadyNotify():
	case <-time.After(60 * time.Second):
		e.Close()
		return errors.New("not ready after 60s")
	case err := <-e.Err():
		e.Close()
		return err
	}
	cp.etcd = e
	cp.etcdURL = cu.String()
	go func() {
		if err, ok := <-e.Err(); ok && err != nil {
			select {
			case cp.fatal <- fmt.Errorf("etcd: %w", err):
			default:
			}
		}
	}()
	return nil
}

func (cp *controlPlane) stopEtcd() {
	if cp.etcd == nil {
		return
	}
	done := make(chan struct{})
	go func() { cp.etcd.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(shutdownTimeout):
		logf("etcd did not stop in %s", shutdownTimeout)
	}
}

// compact compacts etcd at its current revision (physically, like the
// apiserver's own compactor) and returns that revision.
func (cp *controlPlane) compact(ctx context.Context) (int64, error) {
	rev := cp.etcd.Server.KV().Rev()
	_, err := cp.etcd.Server.Compact(ctx, &pb.CompactionRequest{Revision: rev, Physical: true})
	if err != nil && !errors.Is(err, mvcc.ErrCompacted) {
		return 0, err
	}
	return rev, nil
}

// ---- kube-apiserver ----

func (cp *controlPlane) apiserverArgs(watchCache bool) []string {
	p := func(name string) string { return filepath.Join(cp.pki, name) }
	args := []string{
		"--etcd-servers=" + cp.etcdURL,
		"--etcd-compaction-interval=0", // tests compact explicitly (POST /compact)
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		fmt.Sprintf("--secure-port=%d", cp.port),
		"--cert-dir=" + p("generated"),
		"--tls-cert-file=" + p("serving.crt"),
		"--tls-private-key-file=" + p("serving.key"),
		"--client-ca-file=" + p("ca.crt"),
		"--token-auth-file=" + p("tokens.csv"),
		"--authorization-mode=Node,RBAC",
		"--service-account-issuer=" + saIssuer,
		"--service-account-key-file=" + p("sa.pub"),
		"--service-account-signing-key-file=" + p("sa.key"),
		"--service-cluster-ip-range=" + serviceCIDR,
		// The default "lease" reconciler would publish 127.0.0.1 as the endpoint of the
		// kubernetes Service, which Endpoints validation rejects (loopback) every 10s.
		"--endpoint-reconciler-type=none",
		// CSI node plugins run privileged; scenarios load them as they are deployed.
		"--allow-privileged=true",
		"--profiling=false",
		"--watch-cache=" + strconv.FormatBool(watchCache),
		fmt.Sprintf("--v=%d", cp.opts.verbosity),
	}
	return append(args, cp.opts.extraArgs...)
}

func (cp *controlPlane) childPID() int {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	if cp.child == nil || cp.child.Process == nil {
		return 0
	}
	return cp.child.Process.Pid
}

// startAPIServer starts the child and waits until /readyz is 200 and the
// default namespace exists.
func (cp *controlPlane) startAPIServer(watchCache bool) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	logFile, err := os.OpenFile(filepath.Join(cp.logDir, "kube-apiserver.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	fmt.Fprintf(logFile, "\n==== controlplane: starting kube-apiserver at %s (watch-cache=%v) ====\n", time.Now().Format(time.RFC3339Nano), watchCache)
	cmd := exec.Command(self, append([]string{"kube-apiserver"}, cp.apiserverArgs(watchCache)...)...)
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	stdin, err := cmd.StdinPipe()
	if err != nil {
		logFile.Close()
		return err
	}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return err
	}
	done := make(chan struct{})
	cp.mu.Lock()
	cp.child, cp.childStdin, cp.childDone, cp.watchCache = cmd, stdin, done, watchCache
	cp.mu.Unlock()
	go func() {
		err := cmd.Wait()
		logFile.Close()
		cp.mu.Lock()
		cp.childErr = err
		unexpected := !cp.stopping && cp.child == cmd
		cp.mu.Unlock()
		close(done)
		if unexpected {
			select {
			case cp.fatal <- fmt.Errorf("kube-apiserver exited unexpectedly (%v); see %s", err, filepath.Join(cp.logDir, "kube-apiserver.log")):
			default:
			}
		}
	}()
	if err := cp.waitReady(done); err != nil {
		return err
	}
	return nil
}

func (cp *controlPlane) httpClient() *http.Client {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(cp.caPEM)
	return &http.Client{
		Timeout:   5 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
	}
}

func (cp *controlPlane) waitReady(childDone <-chan struct{}) error {
	client := cp.httpClient()
	defer client.CloseIdleConnections()
	deadline := time.Now().Add(readyTimeout)
	check := func(path string) bool {
		req, _ := http.NewRequest("GET", cp.server()+path, nil)
		req.Header.Set("Authorization", "Bearer "+cp.adminToken)
		resp, err := client.Do(req)
		if err != nil {
			return false
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode == 200
	}
	for _, path := range []string{"/readyz", "/api/v1/namespaces/default"} {
		for !check(path) {
			select {
			case <-childDone:
				return fmt.Errorf("kube-apiserver exited before it was ready; see %s", filepath.Join(cp.logDir, "kube-apiserver.log"))
			case <-time.After(100 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("kube-apiserver not ready after %s (%s); see %s", readyTimeout, path, filepath.Join(cp.logDir, "kube-apiserver.log"))
			}
		}
	}
	return nil
}

// stopAPIServer sends SIGTERM, closes the child's stdin, and kills it if it
// has not exited after shutdownTimeout.
func (cp *controlPlane) stopAPIServer() {
	cp.mu.Lock()
	cp.stopping = true
	cmd, stdin, done := cp.child, cp.childStdin, cp.childDone
	cp.mu.Unlock()
	if cmd == nil || cmd.Process == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	_ = stdin.Close()
	select {
	case <-done:
	case <-time.After(shutdownTimeout):
		logf("kube-apiserver did not stop in %s; killing it", shutdownTimeout)
		_ = cmd.Process.Kill()
		<-done
	}
}

func (cp *controlPlane) restartAPIServer(watchCache bool) error {
	cp.stopAPIServer()
	cp.mu.Lock()
	cp.stopping = false
	cp.mu.Unlock()
	// The port was just released; the new server binds it again (SO_REUSEADDR).
	return cp.startAPIServer(watchCache)
}

// ---- control endpoint ----

func (cp *controlPlane) controlHandler(token string, stop chan<- string) http.Handler {
	var restartMu sync.Mutex
	mux := http.NewServeMux()
	reply := func(w http.ResponseWriter, code int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(v)
	}
	fail := func(w http.ResponseWriter, err error) {
		reply(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
	}
	mux.HandleFunc("POST /compact", func(w http.ResponseWriter, r *http.Request) {
		rev, err := cp.compact(r.Context())
		if err != nil {
			fail(w, err)
			return
		}
		reply(w, 200, map[string]int64{"revision": rev})
	})
	mux.HandleFunc("POST /restart-apiserver", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			WatchCache *bool `json:"watchCache"`
		}
		if r.ContentLength != 0 {
			if err := json.NewDecoder(r.Body).Decode(&body); err != nil && !errors.Is(err, io.EOF) {
				reply(w, 400, map[string]string{"error": err.Error()})
				return
			}
		}
		restartMu.Lock()
		defer restartMu.Unlock()
		cp.mu.Lock()
		wc := cp.watchCache
		cp.mu.Unlock()
		if body.WatchCache != nil {
			wc = *body.WatchCache
		}
		start := time.Now()
		if err := cp.restartAPIServer(wc); err != nil {
			fail(w, err)
			select {
			case cp.fatal <- err:
			default:
			}
			return
		}
		reply(w, 200, map[string]any{"apiserverPid": cp.childPID(), "watchCache": wc, "millis": time.Since(start).Milliseconds()})
	})
	mux.HandleFunc("GET /status", func(w http.ResponseWriter, r *http.Request) {
		cp.mu.Lock()
		wc := cp.watchCache
		cp.mu.Unlock()
		reply(w, 200, map[string]any{
			"etcdRevision":        cp.etcd.Server.KV().Rev(),
			"etcdCompactRevision": cp.etcd.Server.KV().FirstRev(), // -1 before the first compaction
			"apiserverPid":        cp.childPID(),
			"watchCache":          wc,
		})
	})
	mux.HandleFunc("POST /shutdown", func(w http.ResponseWriter, r *http.Request) {
		reply(w, 202, map[string]bool{"stopping": true})
		stop <- "POST /shutdown"
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			reply(w, 401, map[string]string{"error": "missing or wrong bearer token"})
			return
		}
		mux.ServeHTTP(w, r)
	})
}
