package io.authgate.gateway.http;

import io.vertx.core.MultiMap;
import java.util.List;

/**
 * Reads a form field, a query parameter or a header that must come at most once. One sent twice is
 * refused rather than read as its first or last value: a proxy or application in front of the
 * gateway may read the other one, and then the two would act on different names.
 */
public final class SingleValues {
  private SingleValues() {}

  /**
   * @param fields the form's fields, the query's parameters or the headers
   * @param name the field, parameter or header (headers match in any case)
   * @return its value, or null when it is absent
   * @throws BadRequestException when it is given more than once
   */
  public static String single(MultiMap fields, String name) {
    List<String> values = fields.getAll(name);
    if (values.size() > 1) {
      throw new BadRequestException(name + " is given more than once");
    }
    return values.isEmpty() ? null : values.get(0);
  }
}
