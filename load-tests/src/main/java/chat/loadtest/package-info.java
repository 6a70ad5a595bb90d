/**
 * Load tests of the chat cluster: Gatling simulations speaking Socket.IO over WebSocket ({@code simulation}),
 * what they measure across virtual users ({@code measure}), node processes under a CPU cap ({@code cluster}) and
 * the scaling run that puts them together ({@code scaling}).
 */
package chat.loadtest;
