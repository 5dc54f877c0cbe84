# shellcheck shell=bash
# store in its container on embedded storage (node:sqlite for users and posts, an in-memory TTL
# map for sessions): the seed's routes, bcrypt and SQLite inside the scratch image, and the
# migration entry point a Kubernetes Job runs. Real MySQL/MongoDB/Redis are compose's part.

# shellcheck disable=SC2034 # read by the tier as ${svc}_run_args (port and build: the registry)
# A file database on the tmpfs /tmp: proves SQLite writes where the read-only image allows it.
store_run_args=(-e SQLITE_PATH=/tmp/store.db -e BCRYPT_COST=4)

store_greeting() {
  http_expect 200 "$1/greeting/" && json_eval 'j == {"Greeting": "Hi Koronet Team"}'
}

store_users() {
  local base=$1 id user="ada-$RUN_ID"
  local body="{\"username\":\"$user\",\"name\":\"Ada\",\"email\":\"$user@example.com\",\"password\":\"correct horse\"}"
  http_expect 201 "$base/users" -H 'Content-Type: application/json' -d "$body" \
    && json_eval "j['message'] == 'User created successfully' and j['user'] == '$user'" || return 1
  id=$(python3 "$ROOT/pipeline/lib/json-get.py" id <<<"$HTTP_BODY")
  http_expect 409 "$base/users" -H 'Content-Type: application/json' -d "$body" && json_eval '"already exists" in j["error"]' || return 1
  http_expect 200 "$base/users/$id" && json_eval "j == {'id': $id, 'username': '$user', 'name': 'Ada', 'email': '$user@example.com'}" || return 1
  http_expect 200 "$base/users" && json_eval "any(u['username'] == '$user' and 'password' not in u for u in j)" || return 1
  http_expect 200 "$base/users/$id" -X DELETE && http_expect 404 "$base/users/$id" && json_eval 'j == {"error": "User not found"}'
}

store_users_bad_input() {
  http_expect 400 "$1/users" -H 'Content-Type: application/json' -d '{"username":"x","name":"X","email":"not-an-email","password":"correct horse"}' \
    && json_eval '"email" in j["error"]' \
    && http_expect 400 "$1/users/abc" && json_eval '"error" in j'
}

store_posts() {
  local base=$1 id
  http_expect 201 "$base/posts" -H 'Content-Type: application/json' -d '{"title":"In a container","content":"scratch image, node:sqlite"}' \
    && json_eval 'j["message"] == "Post created successfully" and len(j["post_id"]) == 24' || return 1
  id=$(python3 "$ROOT/pipeline/lib/json-get.py" post_id <<<"$HTTP_BODY")
  http_expect 200 "$base/posts/$id" && json_eval "j == {'post': {'id': '$id', 'title': 'In a container', 'content': 'scratch image, node:sqlite'}}" || return 1
  http_expect 200 "$base/posts" && json_eval "any(p['id'] == '$id' for p in j['posts'])" || return 1
  http_expect 400 "$base/posts/not-hex" && json_eval 'j == {"error": "Invalid post ID"}'
}

store_sessions() {
  local base=$1 sid="s-$RUN_ID"
  http_expect 201 "$base/session" -H 'Content-Type: application/json' -d "{\"session_id\":\"$sid\",\"data\":\"cart=3\",\"ttl\":60}" || return 1
  http_expect 200 "$base/session/$sid" && json_eval "j == {'session_id': '$sid', 'data': 'cart=3'}" || return 1
  http_expect 200 "$base/session" -X PUT -H 'Content-Type: application/json' -d "{\"session_id\":\"$sid\",\"data\":\"cart=4\"}" || return 1
  http_expect 200 "$base/session/$sid" && json_eval "j['data'] == 'cart=4'" || return 1
  http_expect 200 "$base/session/$sid" -X DELETE && http_expect 404 "$base/session/$sid" && json_eval 'j == {"error": "Session not found"}'
}

store_session_ttl_expires() {
  local base=$1 sid="ttl-$RUN_ID"
  http_expect 201 "$base/session" -H 'Content-Type: application/json' -d "{\"session_id\":\"$sid\",\"data\":\"x\",\"ttl\":1}" || return 1
  sleep 1.5
  http_expect 404 "$base/session/$sid"
}

store_ready_embedded() {
  http_expect 200 "$1/readyz" && json_eval 'j == {"status": "ready", "checks": {"users": "ok", "posts": "ok", "sessions": "ok"}}' \
    && http_expect 200 "$1/metrics" && body_has 'store_user_cache_requests_total'
}

# The Job / pre-upgrade hook command, run from the same image with the same hardening.
store_migrate_entry() {
  local out
  out=$("$DOCKER" run --rm "${HARDENED_RUN[@]}" -e SQLITE_PATH=/tmp/migrate.db --entrypoint /usr/local/bin/node \
    "flotilla/store:$IMAGE_TAG" /app/migrate.mjs 2>&1) || { fail "migrate exited non-zero: $out"; return 1; }
  [[ $(grep -c '"msg":"migrations applied"' <<<"$out") == 2 ]] || fail "expected users and posts migrated: $out"
}

store_checks() {
  local base=$1
  check "store: GET /greeting/" store_greeting "$base"
  check "store: /users create, 409 duplicate, get, list (no password), delete (SQLite + bcrypt)" store_users "$base"
  check "store: /users bad input answers JSON 400" store_users_bad_input "$base"
  check "store: /posts create, get, list, invalid id 400" store_posts "$base"
  check "store: /session create, get, update, delete" store_sessions "$base"
  check "store: /session TTL expires" store_session_ttl_expires "$base"
  check "store: /readyz names every store ok; /metrics" store_ready_embedded "$base"
  check "store: node /app/migrate.mjs (Job entry) applies migrations, exit 0" store_migrate_entry
}
