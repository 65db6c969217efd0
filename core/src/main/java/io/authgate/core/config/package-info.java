/** Configuration: a YAML file and the environment, parsed once into immutable, validated records. */
package io.authgate.core.config;
