/** What the server tells a monitoring system: {@code /metrics} in Prometheus' text format, through Micrometer. */
package io.syncedfolder.server.metrics;
