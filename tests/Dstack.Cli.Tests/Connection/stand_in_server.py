# A stand-in for `dstack server --embedded`, speaking only the part of the contract the CLI's ServerConnector relies
# on: it writes DSTACK_HOME/token and (atomically) server.json once listening, answers GET /api/version and
# POST /api/server/shutdown. It lets the connector's start, race, stale and upgrade logic be tested without the
# server's build. Usage: python3 stand_in_server.py server --embedded --home HOME
import json, os, sys, threading, datetime
from http.server import HTTPServer, BaseHTTPRequestHandler

home = sys.argv[sys.argv.index("--home") + 1]
build_file = os.path.join(home, "stand-in-build-id")
build_id = open(build_file).read().strip() if os.path.exists(build_file) else "dev"
with open(os.path.join(home, "starts.log"), "a") as log:
    log.write(f"{os.getpid()}\n")
if not os.path.exists(os.path.join(home, "token")):
    fd = os.open(os.path.join(home, "token"), os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, b"stand-in-token")
    os.close(fd)

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Dstack-Protocol", "1")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/api/version":
            self.answer(200, {"version": "0.1.0", "buildId": build_id, "protocolVersion": 1, "processId": os.getpid()})
        else:
            self.answer(404, {"error": "not found"})

    def do_POST(self):
        if self.path == "/api/server/shutdown" and self.headers.get("Authorization") == "Bearer stand-in-token":
            self.answer(202, {})
            os.remove(os.path.join(home, "server.json"))
            threading.Thread(target=server.shutdown).start()
        else:
            self.answer(401, {"error": "bad token"})

server = HTTPServer(("127.0.0.1", 0), Handler)
state = {"pid": os.getpid(), "url": f"http://127.0.0.1:{server.server_port}/", "buildId": build_id, "version": "0.1.0",
         "protocolVersion": 1, "startedAt": datetime.datetime.now(datetime.timezone.utc).isoformat()}
tmp = os.path.join(home, f"server.json.{os.getpid()}.tmp")
with open(tmp, "w") as f:
    json.dump(state, f)
os.replace(tmp, os.path.join(home, "server.json"))
print(f"stand-in listening on {state['url']}", flush=True)
server.serve_forever()
