/* sd-list-keys.c
 *
 * A list is one stop on the Tab chain: Tab and Shift+Tab leave it, the
 * arrow keys move inside it (GTK 4.8's list views take Tab from row to
 * row; 4.12's GtkListTabBehavior is not there yet).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-list-keys"

#include "config.h"

#include "sd-list-keys.h"

/* While the list cannot take the focus, the window's focus chain passes
 * it by and lands on the next widget in @direction. */
static gboolean
leave_list_cb (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (widget));
  gboolean moved;

  if (root == NULL)
    return FALSE;
  gtk_widget_set_can_focus (widget, FALSE);
  moved = gtk_widget_child_focus (root, GPOINTER_TO_INT (user_data));
  gtk_widget_set_can_focus (widget, TRUE);
  return moved;
}

static void
add_key (GtkShortcutController *controller,
         guint                  keyval,
         GdkModifierType        modifiers,
         GtkDirectionType       direction)
{
  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (keyval, modifiers),
                                                          gtk_callback_action_new (leave_list_cb,
                                                                                   GINT_TO_POINTER (direction),
                                                                                   NULL)));
}

void
sd_list_keys_single_tab_stop (GtkWidget *list)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  g_return_if_fail (GTK_IS_WIDGET (list));

  /* Ahead of the list's own Tab handling. */
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  add_key (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_Tab, 0, GTK_DIR_TAB_FORWARD);
  add_key (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_KP_Tab, 0, GTK_DIR_TAB_FORWARD);
  add_key (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_Tab, GDK_SHIFT_MASK, GTK_DIR_TAB_BACKWARD);
  add_key (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK, GTK_DIR_TAB_BACKWARD);
  gtk_widget_add_controller (list, controller);
}
