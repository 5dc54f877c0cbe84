// Run once by the mongo image on an empty data volume, as root: creates the account the MongoDB
// exporter (monitoring profile) logs in with, able to read server statistics only.
const fs = require("fs");
const password = fs.readFileSync("/run/secrets/mongo_exporter_password", "utf8").trim();
db.getSiblingDB("admin").createUser({
  user: "exporter",
  pwd: password,
  roles: [
    { role: "clusterMonitor", db: "admin" },
    { role: "read", db: "local" },
  ],
});
