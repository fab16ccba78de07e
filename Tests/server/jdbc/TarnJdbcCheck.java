import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * pgjdbc against `tarn serve`, run by Tests/server/bi_catalog.py: connects with SCRAM-SHA-256, calls the
 * DatabaseMetaData methods BI tools browse with (getCatalogs, getSchemas, getTables, getColumns) and runs
 * prepared statements with parameters (server-side prepared after the fifth run, as pgjdbc does). Prints every
 * result as "== label" followed by one line per row, cells separated by '|' and NULL as an empty cell; the
 * Python side compares them with the REPL's answers. Exits 1 on an SQLException, printing its SQLSTATE.
 *
 * Usage: java -cp postgresql.jar:. TarnJdbcCheck URL USER PASSWORD
 */
public final class TarnJdbcCheck {
    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        props.setProperty("user", args[1]);
        props.setProperty("password", args[2]);
        props.setProperty("prepareThreshold", "1");
        try (Connection conn = DriverManager.getConnection(args[0], props)) {
            DatabaseMetaData meta = conn.getMetaData();
            System.out.println("== product");
            System.out.println(meta.getDatabaseProductName() + "|" + meta.getDatabaseMajorVersion());
            print("getCatalogs", meta.getCatalogs(), "TABLE_CAT");
            print("getSchemas", meta.getSchemas(), "TABLE_SCHEM");
            print("getTables", meta.getTables(null, "sales", "%", new String[] {"TABLE", "VIEW"}),
                  "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE");
            print("getColumns", meta.getColumns(null, "sales", "campaigns", "%"),
                  "TABLE_NAME", "COLUMN_NAME", "TYPE_NAME", "ORDINAL_POSITION", "DECIMAL_DIGITS");
            String sql = "SELECT id, name, channel, clicks, spend, day, ok, ts, ctr FROM sales.campaigns"
                + " WHERE id >= ? AND channel <> ? AND spend > ? ORDER BY id";
            try (PreparedStatement ps = conn.prepareStatement(sql)) {
                for (int run = 0; run < 3; run++) {
                    ps.setLong(1, 1);
                    ps.setString(2, "it's");
                    ps.setBigDecimal(3, new BigDecimal("-1.5"));
                    try (ResultSet rs = ps.executeQuery()) {
                        printAll("prepared run " + run, rs);
                    }
                }
            }
            try (PreparedStatement ps = conn.prepareStatement("SELECT channel, spend FROM sales.campaign_summary WHERE channel = ?")) {
                ps.setString(1, "tv");
                try (ResultSet rs = ps.executeQuery()) {
                    printAll("prepared view", rs);
                }
            }
            try (Statement st = conn.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) AS n, sum(clicks) AS clicks FROM sales.campaigns")) {
                    printAll("statement", rs);
                }
                try {
                    st.executeQuery("SELECT * FROM sales.no_such_table");
                    System.out.println("== error");
                    System.out.println("none");
                } catch (SQLException e) {
                    System.out.println("== error");
                    System.out.println(e.getSQLState());
                }
            }
        } catch (SQLException e) {
            System.err.println("SQLSTATE " + e.getSQLState() + ": " + e.getMessage());
            System.exit(1);
        }
    }

    private static void print(String label, ResultSet rs, String... columns) throws SQLException {
        System.out.println("== " + label);
        try (rs) {
            while (rs.next()) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < columns.length; i++) {
                    if (i > 0) line.append('|');
                    String v = rs.getString(columns[i]);
                    line.append(v == null ? "" : v);
                }
                System.out.println(line);
            }
        }
    }

    private static void printAll(String label, ResultSet rs) throws SQLException {
        System.out.println("== " + label);
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
            StringBuilder line = new StringBuilder();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                if (i > 1) line.append('|');
                String v = rs.getString(i);
                line.append(v == null ? "" : v);
            }
            System.out.println(line);
        }
    }
}
