/** The {@code ballot} executable: run a node, run a local cluster, talk to a cluster. */
package dev.ballot.server;
