/**
 * Load tests of the chat cluster: Gatling simulations speaking Socket.IO over WebSocket ({@code simulation}),
 * what they measure across virtual users ({@code measure}), node processes under a CPU cap ({@code cluster}),
 * what every run's report shares ({@code report}), and the runs that put them together: the scaling run
 * ({@code scaling}), the single-node performance run ({@code performance}) and the chaos run ({@code chaos}).
 */
package chat.loadtest;
