package io.authgate.gateway.http;

import io.vertx.core.MultiMap;
import java.util.List;

/**
 * Reads a field of a form or a query string that must come at most once. A field sent twice is
 * refused rather than read as its first or last value: a proxy or application in front of the
 * gateway may read the other one, and then the two would act on different names.
 */
public final class FormFields {
  private FormFields() {}

  /**
   * @param fields the form's fields or the query's parameters
   * @param name the field
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
