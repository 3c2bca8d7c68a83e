/* ek-json.c: checked accessors for JSON members
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * json-glib's plain getters log a critical when a member is missing or of
 * another type; server data is never trusted to have either right.
 */

#include "config.h"

#include <math.h>

#include "ek-json.h"

const char *
ek_json_get_string (JsonObject *object,
                    const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonObject *
ek_json_get_object (JsonObject *object,
                    const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_OBJECT)
    return NULL;
  return json_node_get_object (node);
}

gint64
ek_json_get_int (JsonObject *object,
                 const char *member,
                 gint64      fallback)
{
  JsonNode *node;
  GType type;

  if (object == NULL)
    return fallback;
  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return fallback;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    return json_node_get_int (node);
  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      /* beyond 64 bits (the reader makes such integers doubles): clamp,
       * as a cast would be undefined */
      if (isnan (d))
        return fallback;
      if (d >= 9223372036854775807.0)
        return G_MAXINT64;
      if (d <= -9223372036854775808.0)
        return G_MININT64;
      return (gint64) d;
    }
  return fallback;
}
