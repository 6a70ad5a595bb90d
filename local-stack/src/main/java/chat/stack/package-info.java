/**
 * Real Redis, PostgreSQL and Kafka as local processes: {@link chat.stack.LocalStack} runs them in one data folder,
 * {@link chat.stack.ChatStackExtension} shares one stack with every test of a JVM, {@link chat.stack.RedisCluster}
 * runs a Redis Cluster of such processes for the tests of cluster mode, and {@link chat.stack.LocalRun} is the
 * one-command local run on a machine that has only a JDK.
 */
package chat.stack;
