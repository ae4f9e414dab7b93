package kgneg.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * A Neo4j 5.26 community server for machines without Docker: the embedded
 * database with its Bolt connector on, authentication enforced, and nothing
 * else. kgneg talks to it exactly as it talks to the Docker image, over Bolt.
 *
 * Usage: java -cp ... kgneg.db.LocalNeo4j HOME_DIR HOST PORT
 * The user and password come from the environment (NEO4J_USER, NEO4J_PASSWORD)
 * so that they never appear in a process listing.
 */
public final class LocalNeo4j {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: LocalNeo4j HOME_DIR HOST PORT");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        String user = envOr("NEO4J_USER", "neo4j");
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("NEO4J_PASSWORD must be set and at least 8 characters long (Neo4j's minimum)");
            System.exit(2);
        }
        Path importDir = home.resolve("import");
        Files.createDirectories(importDir);

        Map<String, String> config = new TreeMap<>();
        config.put("server.bolt.enabled", "true");
        config.put("server.bolt.listen_address", host + ":" + port);
        config.put("server.bolt.advertised_address", host + ":" + port);
        // Embedded defaults to no authentication; a server must enforce the password.
        config.put("dbms.security.auth_enabled", "true");
        // The machine may be offline; never phone home.
        config.put("dbms.usage_report.enabled", "false");
        // Unset, LOAD CSV could read the whole file system.
        config.put("server.directories.import", importDir.toString());
        config.put("server.memory.pagecache.size", envOr("NEO4J_PAGECACHE", "1g"));
        config.put("dbms.memory.transaction.total.max", envOr("NEO4J_TX_MEMORY", "2g"));
        // Bolt's graceful shutdown otherwise idles ~10 s waiting for connections that are gone.
        config.put("internal.server.bolt.connection_shutdown_wait_time", "1s");
        config.put("internal.server.bolt.thread_pool_shutdown_wait_time", "1s");
        config.put("internal.dbms.bolt.netty_server_shutdown_quiet_period", "0");
        config.put("internal.dbms.bolt.netty_server_shutdown_timeout", "2s");
        // Development database: keep transaction logs small.
        config.put("db.tx_log.rotation.retention_policy", "256M size");

        // The builder takes raw settings only from a properties file; writing one
        // also leaves a record of what this server ran with.
        Path confFile = home.resolve("conf").resolve("kgneg-local.conf");
        Files.createDirectories(confFile.getParent());
        StringBuilder conf = new StringBuilder("# written by kgneg.db.LocalNeo4j at every start\n");
        config.forEach((key, value) -> conf.append(key).append('=').append(value).append('\n'));
        Files.writeString(confFile, conf.toString());

        // A fresh store accepts the default neo4j/neo4j login until the password is set.
        // So its first start runs once with Bolt off, sets the password, and stops:
        // when Bolt opens below, the default password is already gone.
        if (!Files.exists(home.resolve("data").resolve("databases").resolve("system"))) {
            Path bootConf = home.resolve("conf").resolve("kgneg-first-start.conf");
            Files.writeString(bootConf, conf.toString().replace("server.bolt.enabled=true", "server.bolt.enabled=false"));
            DatabaseManagementService boot = new DatabaseManagementServiceBuilder(home)
                    .loadPropertiesFromFile(bootConf)
                    .build();
            try {
                setCredentials(boot.database("system"), user, password);
            } finally {
                boot.shutdown();
            }
            System.out.println("kgneg local neo4j: first start, password set before Bolt opens");
        }

        DatabaseManagementService service = new DatabaseManagementServiceBuilder(home)
                .loadPropertiesFromFile(confFile)
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("kgneg local neo4j: shutting down");
            service.shutdown();
            stopped.countDown();
        }));

        setCredentials(service.database("system"), user, password);
        // Touch the default database so the first Bolt query does not wait for it.
        service.database("neo4j").executeTransactionally("RETURN 1");
        System.out.println("kgneg local neo4j: ready on bolt://" + host + ":" + port + " home=" + home);
        stopped.await();
    }

    /**
     * Embedded calls skip Bolt authentication, so this is where the configured
     * password is put in place before any client can use it. Re-setting the
     * same password is refused by Neo4j; that refusal means it is already set.
     */
    private static void setCredentials(GraphDatabaseService system, String user, String password) {
        Map<String, Object> params = Map.of("user", user, "password", password);
        if (!"neo4j".equals(user)) {
            system.executeTransactionally(
                    "CREATE USER $user IF NOT EXISTS SET PASSWORD $password CHANGE NOT REQUIRED", params);
        }
        try {
            system.executeTransactionally(
                    "ALTER USER $user SET PASSWORD $password CHANGE NOT REQUIRED", params);
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            if (!message.contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
