// Run once by the mongo image on an empty data volume (docker-entrypoint-initdb.d), as the root
// user: creates the user store connects as, with rights on its own database only. The password
// is the Docker secret store also reads (MONGO_PASSWORD_FILE), so it is never in this file.
const fs = require("fs");
const password = fs.readFileSync("/run/secrets/mongo_password", "utf8").trim();
db.getSiblingDB("admin").createUser({
  user: "store",
  pwd: password,
  roles: [{ role: "readWrite", db: "flotilla" }],
});
