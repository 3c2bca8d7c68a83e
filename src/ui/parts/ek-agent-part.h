/* ek-agent-part.h: a switch to another agent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ek-part-widget.h"

G_BEGIN_DECLS

#define EK_TYPE_AGENT_PART (ek_agent_part_get_type ())

G_DECLARE_FINAL_TYPE (EkAgentPart, ek_agent_part, EK, AGENT_PART, EkPartWidget)

const char *ek_agent_part_get_text (EkAgentPart *self);

G_END_DECLS
