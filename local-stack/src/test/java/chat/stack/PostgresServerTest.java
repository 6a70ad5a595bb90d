package chat.stack;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ChatStackExtension.class)
class PostgresServerTest {

    private final TestStack stack;

    PostgresServerTest(TestStack stack) {
        this.stack = stack;
    }

    @Test
    void chatDatabaseAnswersSelectOne() throws SQLException {
        assertThat(queryInt("select 1"), is(1));
    }

    @Test
    void rowsWrittenBeforeStopAreReadAfterStart() throws SQLException {
        String table = stack.uniqueName("survivors").replace('-', '_');
        execute("create table " + table + " (id int primary key)", "insert into " + table + " values (42)");

        stack.postgresServer().stop();
        assertThrows(SQLException.class, () -> queryInt("select 1"));
        stack.postgresServer().start();

        assertThat(queryInt("select id from " + table), is(42));
    }

    private void execute(String... statements) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private int queryInt(String sql) throws SQLException {
        try (Connection connection = connect();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getInt(1);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(stack.databaseUrl(), stack.databaseUser(), stack.databasePassword());
    }
}
