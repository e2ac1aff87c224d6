/** deltasql parser module: grows in later issues (see README's layout table). */
package io.deltasql.parser;
