"""Under load: gunicorn (2 workers, PostgreSQL, production settings) and wrk on the loopback address.

`bench/run.py load` starts gunicorn on the PostgreSQL province database with
the production settings (bench/settings_production.py: config.settings.production
with the static files collected under bench/out/), logs in through the login
form (CSRF and all, as a browser does behind the TLS proxy: X-Forwarded-Proto:
https), then runs wrk:

- the township scorecard and the city dashboard, 30 s each, 10 connections:
  requests per second, latency, errors (socket errors, timeouts and every
  answer other than 200 — a redirect to the login page is an error here);
- 50 users at once for 60 s, each connection going round the pages of 50
  logged-in users (5 city bureaus, 15 county bureaus, 30 township clerks):
  p50/p95/p99 latency and errors.

gunicorn is stopped (by its process id) at the end, whatever happens.
"""
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "wuyou-demo-2025"
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}

LUA_COMMON = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non200") end
  io.write(string.format(
    '\nBENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, "non200": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout, bad))
end
"""

LUA_ONE = LUA_COMMON + r"""
wrk.headers["Cookie"] = COOKIE
wrk.headers["X-Forwarded-Proto"] = "https"
function init(args) non200 = 0 end
"""

LUA_MIXED = LUA_COMMON + r"""
local entries = {
ENTRIES
}
local i = 0
function init(args)
  non200 = 0
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  i = math.random(#entries)
end
function request()
  i = i % #entries + 1
  local e = entries[i]
  return wrk.format("GET", e[1], {["Cookie"] = e[2], ["X-Forwarded-Proto"] = "https", ["Host"] = wrk.host .. ":" .. wrk.port})
end
"""


def lua_string(text):
    return json.dumps(text)  # a JSON string is a valid Lua string for ASCII text


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn on 127.0.0.1, production settings, the PostgreSQL province."""

    def __init__(self, database_url, *, workers=2):
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings_production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "PYTHONPATH": str(ROOT),
        }
        python = ROOT / ".venv" / "bin" / "python"
        subprocess.run([str(python), "manage.py", "collectstatic", "--noinput", "-v", "0"], env=self.env, cwd=ROOT,
                       check=True)
        self.log = ROOT / "bench" / "out" / "gunicorn.log"
        self.process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "--bind", self.host, "--workers", str(workers),
             "--forwarded-allow-ips", "127.0.0.1", "--log-level", "warning", "--timeout", "120"],
            env=self.env, cwd=ROOT, stdout=open(self.log, "w"), stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if self.request("GET", "/accounts/login/")[0] == 200:
                    return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"gunicorn 未能启动，见 {self.log}")

    def request(self, method, path, *, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers={**PROXY_HEADERS, "Host": self.host, **(headers or {})})
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def login(self, username):
        """Sign in through the login form; return the Cookie header value of the session."""
        status, headers, body = self.request("GET", "/accounts/login/")
        cookies = cookie_jar(headers)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
        origin = f"https://{self.host}"
        status, headers, _body = self.request("POST", "/accounts/login/", body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie_header(cookies),
            "Origin": origin, "Referer": f"{origin}/accounts/login/",
        })
        cookies.update(cookie_jar(headers))
        if status != 302 or "sessionid" not in cookies:
            raise RuntimeError(f"登录 {username} 失败：HTTP {status}")
        return cookie_header(cookies)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def cookie_jar(headers):
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _sep, content = pair.partition("=")
            jar[key.strip()] = content.strip()
    return jar


def cookie_header(jar):
    return "; ".join(f"{key}={value}" for key, value in jar.items())


def wrk(server, script, *, seconds, connections, path="/"):
    """Run wrk with a Lua script; return its BENCH line as a dict (requests/s, latency in s, errors)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        output = subprocess.run(
            ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s", "-s", handle.name,
             f"http://{server.host}{path}"], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(handle.name)
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    result = json.loads(line[len("BENCH "):])
    seconds_run = result["duration_us"] / 1e6
    errors = sum(result[k] for k in ("connect", "read", "write", "timeout", "non200"))
    return {"rps": result["requests"] / seconds_run, "requests": result["requests"], "errors": errors,
            "p50": result["p50_us"] / 1e6, "p95": result["p95_us"] / 1e6, "p99": result["p99_us"] / 1e6,
            "max": result["max_us"] / 1e6, "detail": result}


def units(database_url):
    """(year, [city codes], {city: [county codes]}, {county: [township codes]}) of the province, read directly."""
    import psycopg2

    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT MAX(year) FROM offices_population WHERE year <= %s", [time.localtime().tm_year])
        year = cursor.fetchone()[0]
        cursor.execute("SELECT code FROM offices_city ORDER BY id")  # city №1 first, as the other figures
        cities = [r[0] for r in cursor.fetchall()]
        cursor.execute("SELECT c.code, y.code FROM offices_county y JOIN offices_city c ON c.id = y.city_id ORDER BY y.code")
        counties = {}
        for city, county in cursor.fetchall():
            counties.setdefault(city, []).append(county)
        cursor.execute("SELECT y.code, t.code FROM offices_township t JOIN offices_county y ON y.id = t.county_id "
                       "ORDER BY t.code")
        townships = {}
        for county, township in cursor.fetchall():
            townships.setdefault(county, []).append(township)
    connection.close()
    return year, cities, counties, townships


def mixed_users(year, cities, counties, townships, *, users=50):
    """[(username, [paths])]: 10% city bureaus, 30% county bureaus, 60% township clerks, each with their pages."""
    y = f"?year={year}"
    city_count, county_count = max(1, users // 10), max(1, users * 3 // 10)
    all_counties = [c for city in cities for c in counties.get(city, [])]
    all_townships = [t for county in all_counties for t in townships.get(county, [])]
    out = []
    for city in cities[:city_count]:
        county = counties[city][0]
        township = townships[county][0]
        out.append((f"city{city[:4]}", [f"/cities/{city}/dashboard/{y}", f"/cities/{city}/dashboard/trend.json",
                                        f"/counties/{county}/compliance/{y}", f"/townships/{township}/scorecard/{y}"]))
    step = max(1, len(all_counties) // county_count)
    for county in all_counties[::step][:county_count]:
        township = townships[county][0]
        out.append((f"county{county[:6]}", [f"/counties/{county}/compliance/{y}", f"/counties/{county}/{y}",
                                            f"/townships/{township}/scorecard/{y}"]))
    step = max(1, len(all_townships) // (users - len(out)))
    for township in all_townships[::step][:users - len(out)]:
        out.append((f"town{township[:9]}", [f"/townships/{township}/scorecard/{y}", f"/townships/{township}/{y}",
                                            f"/townships/{township}/staff/"]))
    return out


def load_command(args, *, report=None):
    from bench import databases
    from bench.run import Report, ensure_built

    report = report or Report()
    if shutil.which("wrk") is None:
        report.line("  未找到 wrk：apt-get install -y wrk 后再运行 bench/run.py load")
        return
    ensure_built("postgres", args.size)
    url = databases.database_url("postgres", args.size)
    year, cities, counties, townships = units(url)
    server = Server(url)
    try:
        report.line(f"== gunicorn（2 个 worker，生产配置，PostgreSQL {args.size} 库）{server.host}，{year}年度 ==")
        city, county = cities[0], counties[cities[0]][0]
        township = townships[county][0]
        single = [
            ("乡镇达标情况（scorecard）", f"town{township[:9]}", f"/townships/{township}/scorecard/?year={year}",
             150),
            ("市看板（dashboard）", f"city{city[:4]}", f"/cities/{city}/dashboard/?year={year}", 50),
        ]
        for name, username, path, target in single:
            cookie = server.login(username)
            status = server.request("GET", path, headers={"Cookie": cookie})[0]
            result = wrk(server, LUA_ONE.replace("COOKIE", lua_string(cookie)), seconds=args.seconds, connections=10,
                         path=path)
            met = result["rps"] >= target and result["errors"] == 0
            alone = wrk(server, LUA_ONE.replace("COOKIE", lua_string(cookie)), seconds=10, connections=1, path=path)
            report.line(f"  （单个连接 10 秒：{alone['rps']:.1f} 次/秒，p50 {alone['p50'] * 1000:.0f} ms：每次请求本身的时间）")
            report.figure(f"wrk {args.seconds} 秒 10 连接：{name}", "postgres", result["rps"], unit=" 次/秒",
                          target=f"≥ {target} 次/秒且 0 错误", met=met,
                          note=f"{result['requests']} 次，错误 {result['errors']}，p50 {result['p50'] * 1000:.0f} ms，"
                               f"p99 {result['p99'] * 1000:.0f} ms（首个 GET：HTTP {status}）")
        users = mixed_users(year, cities, counties, townships, users=args.users)
        cookies = {username: server.login(username) for username, _paths in users}
        entries = []
        for turn in range(max(len(paths) for _u, paths in users)):
            for username, paths in users:
                entries.append((paths[turn % len(paths)], cookies[username]))
        script = LUA_MIXED.replace("ENTRIES", ",\n".join(f"  {{{lua_string(p)}, {lua_string(c)}}}" for p, c in entries))
        result = wrk(server, script, seconds=args.mixed_seconds, connections=args.users)
        met = result["p95"] < 1 and result["errors"] == 0
        report.figure(f"wrk {args.mixed_seconds} 秒 {args.users} 个用户混合页面 p95", "postgres", result["p95"],
                      target="p95 < 1 秒且 0 错误", met=met,
                      note=f"{result['requests']} 次（{result['rps']:.1f} 次/秒），错误 {result['errors']}，"
                           f"p50 {result['p50'] * 1000:.0f} ms，p99 {result['p99'] * 1000:.0f} ms")
    finally:
        server.stop()
    report.save()


if __name__ == "__main__":
    sys.exit("用 bench/run.py load 运行")
