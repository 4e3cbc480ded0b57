/* sd-listener.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-server"

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "sd-listener.h"

#define ACCEPT_RETRY_MS     100
#define DRAIN_TIMEOUT       2                  /* seconds after a refusal */
#define DRAIN_LIMIT         (4 * 1024 * 1024)  /* bytes read after a refusal */
#define SHUTDOWN_GRACE      10                 /* seconds for libsoup to let go */
#define RESERVED_FDS        64                 /* SQLite, pipes, logs */
#define REMOTE_KEY          "sd-listener-connection"

typedef enum {
  CONNECTION_WAITING,   /* accepted, no byte yet: ours */
  CONNECTION_SERVED,    /* handed to the SoupServer */
  CONNECTION_SHUT,      /* served too long: shut down, libsoup lets go */
  CONNECTION_REFUSED,   /* taken back: answering, then draining */
} ConnectionState;

typedef struct {
  SdListener        *listener;    /* borrowed */
  GSocketConnection *connection;  /* owned */
  GIOStream         *stream;      /* owned: the connection, or TLS over it */
  GSocket           *socket;      /* borrowed from connection */
  GSocketAddress    *remote;      /* owned; libsoup holds the same object */
  GSource           *source;      /* owned: first byte, or draining */
  GIOStream         *stolen;      /* owned: what libsoup gave back */
  GCancellable      *cancellable; /* owned: the refusal's write */
  ConnectionState    state;
  gint64             since;       /* monotonic µs: accepted, or refused */
  gsize              drained;
  GList              link;        /* in SdListener.connections */
} Connection;

struct _SdListener
{
  GObject          parent_instance;

  SoupServer      *soup;           /* owned */
  GTlsCertificate *certificate;    /* owned, may be NULL */
  GSocket         *socket;         /* owned: listening */
  GSource         *accept_source;  /* owned; NULL while paused */
  guint            retry_id;
  guint            sweep_id;
  GQueue           connections;    /* Connection, oldest first */
  guint            max_connections;
  gboolean         starved;        /* accept() failed, not yet since */
};

G_DEFINE_FINAL_TYPE (SdListener, sd_listener, G_TYPE_OBJECT)

static void start_accepting (SdListener *self);

/* ------------------------------------------------------------ connections */

static void
connection_drop_source (Connection *c)
{
  if (c->source != NULL)
    {
      g_source_destroy (c->source);
      g_clear_pointer (&c->source, g_source_unref);
    }
}

static void
connection_close (Connection *c)
{
  g_queue_unlink (&c->listener->connections, &c->link);
  connection_drop_source (c);
  if (c->cancellable != NULL)
    g_cancellable_cancel (c->cancellable);
  g_clear_object (&c->cancellable);
  g_clear_object (&c->stolen);
  if (c->remote != NULL)
    g_object_set_data (G_OBJECT (c->remote), REMOTE_KEY, NULL);
  g_clear_object (&c->remote);
  if (c->stream != NULL && !g_io_stream_is_closed (c->stream))
    g_io_stream_close (c->stream, NULL, NULL);
  if (!g_io_stream_is_closed (G_IO_STREAM (c->connection)))
    g_io_stream_close (G_IO_STREAM (c->connection), NULL, NULL);
  g_clear_object (&c->stream);
  g_clear_object (&c->connection);
  g_free (c);
}

static void
hand_over (Connection *c)
{
  SdListener *self = c->listener;
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (c->socket, NULL);
  g_autoptr(GError) error = NULL;

  c->remote = g_socket_get_remote_address (c->socket, NULL);
  if (local == NULL || c->remote == NULL)
    {
      connection_close (c);
      return;
    }
  if (self->certificate != NULL)
    {
      GIOStream *tls = g_tls_server_connection_new (G_IO_STREAM (c->connection), self->certificate, &error);

      if (tls == NULL)
        {
          g_warning ("TLS failed: %s", error->message);
          connection_close (c);
          return;
        }
      c->stream = tls;
    }
  else
    c->stream = g_object_ref (G_IO_STREAM (c->connection));

  /* libsoup keeps this very object: sd_listener_refuse() finds us by it. */
  g_object_set_data (G_OBJECT (c->remote), REMOTE_KEY, c);
  c->state = CONNECTION_SERVED;
  soup_server_accept_iostream (self->soup, c->stream, local, c->remote, NULL);
}

/* A connection is given to libsoup only once it has something to say:
 * a silent one costs no more than its descriptor and is easy to close. */
static gboolean
first_bytes_cb (GSocket      *socket,
                GIOCondition  condition,
                gpointer      user_data)
{
  Connection *c = user_data;
  char byte;
  gssize n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);

  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return G_SOURCE_CONTINUE;
  connection_drop_source (c);
  if (n <= 0)
    connection_close (c);
  else
    hand_over (c);
  return G_SOURCE_REMOVE;
}

static void
connection_new (SdListener *self,
                GSocket    *socket)
{
  Connection *c = g_new0 (Connection, 1);

  g_socket_set_blocking (socket, FALSE);
  /* A response written in two parts must not wait for the client's
   * delayed acknowledgement. */
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  c->listener = self;
  c->connection = g_socket_connection_factory_create_connection (socket);
  c->socket = g_socket_connection_get_socket (c->connection);
  c->since = g_get_monotonic_time ();
  c->state = CONNECTION_WAITING;
  c->link.data = c;
  g_queue_push_tail_link (&self->connections, &c->link);

  c->source = g_socket_create_source (c->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (c->source, (GSourceFunc) (GCallback) first_bytes_cb, c, NULL);
  g_source_attach (c->source, g_main_context_get_thread_default ());
}

/* Forgets connections libsoup has closed; at the cap, closes the oldest
 * one still waiting for its first byte. */
static gboolean
make_room (SdListener *self)
{
  GList *next;

  for (GList *l = self->connections.head; l != NULL; l = next)
    {
      Connection *c = l->data;

      next = l->next;
      if ((c->state == CONNECTION_SERVED || c->state == CONNECTION_SHUT)
          && g_io_stream_is_closed (c->stream))
        connection_close (c);
    }
  if (self->connections.length < self->max_connections)
    return TRUE;
  for (GList *l = self->connections.head; l != NULL; l = l->next)
    {
      Connection *c = l->data;

      if (c->state == CONNECTION_WAITING)
        {
          connection_close (c);
          return TRUE;
        }
    }
  return FALSE;
}

/* --------------------------------------------------------------- accepting */

static gboolean
retry_accepting_cb (gpointer user_data)
{
  SdListener *self = user_data;

  self->retry_id = 0;
  start_accepting (self);
  return G_SOURCE_REMOVE;
}

static void
pause_accepting (SdListener *self)
{
  if (self->accept_source != NULL)
    {
      g_source_destroy (self->accept_source);
      g_clear_pointer (&self->accept_source, g_source_unref);
    }
  if (self->retry_id == 0)
    self->retry_id = g_timeout_add (ACCEPT_RETRY_MS, retry_accepting_cb, self);
}

static gboolean
accept_ready_cb (GSocket      *socket,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  SdListener *self = user_data;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) client = NULL;

      if (self->connections.length >= self->max_connections && !make_room (self))
        {
          pause_accepting (self);
          return G_SOURCE_REMOVE;
        }
      client = g_socket_accept (self->socket, NULL, &error);
      if (client == NULL)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            return G_SOURCE_CONTINUE;
          /* EMFILE and the like: try again once descriptors are freed,
           * whatever happens, never stop accepting for good. */
          if (!self->starved)
            g_warning ("accepting a connection failed: %s", error->message);
          self->starved = TRUE;
          pause_accepting (self);
          return G_SOURCE_REMOVE;
        }
      self->starved = FALSE;
      connection_new (self, client);
    }
}

static void
start_accepting (SdListener *self)
{
  if (self->accept_source != NULL || self->socket == NULL)
    return;
  self->accept_source = g_socket_create_source (self->socket, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, (GSourceFunc) (GCallback) accept_ready_cb, self, NULL);
  g_source_attach (self->accept_source, g_main_context_get_thread_default ());
}

/* Once a second: silent and overlong connections go. */
static gboolean
sweep_cb (gpointer user_data)
{
  SdListener *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GList *next;

  for (GList *l = self->connections.head; l != NULL; l = next)
    {
      Connection *c = l->data;
      gint64 age = (now - c->since) / G_USEC_PER_SEC;

      next = l->next;
      switch (c->state)
        {
        case CONNECTION_WAITING:
          if (age >= SD_LISTENER_FIRST_BYTE_TIMEOUT)
            connection_close (c);
          break;
        case CONNECTION_SERVED:
          if (g_io_stream_is_closed (c->stream))
            connection_close (c);
          else if (age >= SD_LISTENER_LIFETIME)
            {
              /* libsoup's reads and writes fail, and it closes. */
              g_socket_shutdown (c->socket, TRUE, TRUE, NULL);
              c->state = CONNECTION_SHUT;
            }
          break;
        case CONNECTION_SHUT:
          if (g_io_stream_is_closed (c->stream) || age >= SD_LISTENER_LIFETIME + SHUTDOWN_GRACE)
            connection_close (c);
          break;
        case CONNECTION_REFUSED:
          if (age >= DRAIN_TIMEOUT)
            connection_close (c);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  if (self->accept_source == NULL && self->retry_id == 0 && self->socket != NULL)
    start_accepting (self);
  return G_SOURCE_CONTINUE;
}

/* ---------------------------------------------------------------- refusals */

/* Reads and drops what the client still sends, so that closing does not
 * reset the connection before the client has read the answer. */
static gboolean
drain_cb (GSocket      *socket,
          GIOCondition  condition,
          gpointer      user_data)
{
  Connection *c = user_data;
  char buffer[16384];

  for (;;)
    {
      gssize n = recv (g_socket_get_fd (socket), buffer, sizeof buffer, MSG_DONTWAIT);

      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return G_SOURCE_CONTINUE;
      if (n <= 0 || (c->drained += n) > DRAIN_LIMIT)
        {
          connection_close (c);
          return G_SOURCE_REMOVE;
        }
    }
}

typedef struct {
  Connection   *connection;   /* valid unless cancellable is cancelled */
  GCancellable *cancellable;  /* owned */
  char         *response;     /* owned */
} Refusal;

static void
refusal_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Refusal *refusal = user_data;
  Connection *c = refusal->connection;
  gboolean cancelled = g_cancellable_is_cancelled (refusal->cancellable);

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  g_object_unref (refusal->cancellable);
  g_free (refusal->response);
  g_free (refusal);
  if (cancelled)
    return;

  g_socket_shutdown (c->socket, FALSE, TRUE, NULL);
  connection_drop_source (c);
  c->source = g_socket_create_source (c->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (c->source, (GSourceFunc) (GCallback) drain_cb, c, NULL);
  g_source_attach (c->source, g_main_context_get_thread_default ());
}

typedef struct {
  SdListener        *listener;  /* owned */
  SoupServerMessage *msg;       /* owned */
  char              *response;  /* owned */
} PendingRefusal;

/* Runs from the main loop, outside libsoup's reading of the message. */
static gboolean
refuse_cb (gpointer user_data)
{
  PendingRefusal *pending = user_data;
  GSocketAddress *remote = soup_server_message_get_remote_address (pending->msg);
  Connection *c = remote ? g_object_get_data (G_OBJECT (remote), REMOTE_KEY) : NULL;
  g_autoptr(GIOStream) stolen = soup_server_message_steal_connection (pending->msg);

  if (c != NULL && stolen != NULL)
    {
      Refusal *refusal = g_new0 (Refusal, 1);

      c->state = CONNECTION_REFUSED;
      c->since = g_get_monotonic_time ();
      c->stolen = g_steal_pointer (&stolen);
      c->cancellable = g_cancellable_new ();
      refusal->connection = c;
      refusal->cancellable = g_object_ref (c->cancellable);
      refusal->response = g_steal_pointer (&pending->response);
      g_output_stream_write_all_async (g_io_stream_get_output_stream (c->stolen),
                                       refusal->response, strlen (refusal->response),
                                       G_PRIORITY_DEFAULT, c->cancellable, refusal_written_cb, refusal);
    }
  else if (stolen != NULL)
    g_io_stream_close (stolen, NULL, NULL);

  g_object_unref (pending->listener);
  g_object_unref (pending->msg);
  g_free (pending->response);
  g_free (pending);
  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------ object */

static void
sd_listener_dispose (GObject *object)
{
  SdListener *self = SD_LISTENER (object);

  while (self->connections.head != NULL)
    connection_close (self->connections.head->data);
  if (self->accept_source != NULL)
    {
      g_source_destroy (self->accept_source);
      g_clear_pointer (&self->accept_source, g_source_unref);
    }
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->sweep_id, g_source_remove);
  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);
  g_clear_object (&self->soup);
  g_clear_object (&self->certificate);

  G_OBJECT_CLASS (sd_listener_parent_class)->dispose (object);
}

static void
sd_listener_class_init (SdListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sd_listener_dispose;
}

static void
sd_listener_init (SdListener *self)
{
  struct rlimit limit;

  g_queue_init (&self->connections);
  self->max_connections = SD_LISTENER_MAX_CONNECTIONS;
  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    self->max_connections = CLAMP ((gint64) limit.rlim_cur - RESERVED_FDS, 16, SD_LISTENER_MAX_CONNECTIONS);
}

/* ------------------------------------------------------------------ public */

SdListener *
sd_listener_new (SoupServer      *soup,
                 GTlsCertificate *certificate)
{
  SdListener *self;

  g_return_val_if_fail (SOUP_IS_SERVER (soup), NULL);

  self = g_object_new (SD_TYPE_LISTENER, NULL);
  self->soup = g_object_ref (soup);
  self->certificate = certificate ? g_object_ref (certificate) : NULL;
  return self;
}

guint
sd_listener_listen (SdListener      *self,
                    GSocketAddress  *address,
                    GError         **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) bound = NULL;

  g_return_val_if_fail (SD_IS_LISTENER (self), 0);
  g_return_val_if_fail (self->socket == NULL, 0);

  socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return 0;
  g_socket_set_blocking (socket, FALSE);
  /* The system's backlog (net.core.somaxconn), not GLib's 10: a burst
   * waits in the queue instead of being reset. */
  g_socket_set_listen_backlog (socket, SOMAXCONN);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return 0;
  if (!(bound = g_socket_get_local_address (socket, error)))
    return 0;

  self->socket = g_steal_pointer (&socket);
  start_accepting (self);
  self->sweep_id = g_timeout_add_seconds (1, sweep_cb, self);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

guint
sd_listener_get_max_connections (SdListener *self)
{
  g_return_val_if_fail (SD_IS_LISTENER (self), 0);
  return self->max_connections;
}

void
sd_listener_refuse (SdListener        *self,
                    SoupServerMessage *msg,
                    guint              status,
                    const char        *reason,
                    const char        *body)
{
  PendingRefusal *pending;

  g_return_if_fail (SD_IS_LISTENER (self));
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));

  /* Stop libsoup reading (and keeping) more of the body now; take the
   * connection back once its reading has returned to the main loop. */
  soup_server_message_pause (msg);
  pending = g_new0 (PendingRefusal, 1);
  pending->listener = g_object_ref (self);
  pending->msg = g_object_ref (msg);
  pending->response = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                                       "Content-Type: application/problem+json\r\n"
                                       "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                                       "Connection: close\r\n"
                                       "\r\n"
                                       "%s",
                                       status, reason, strlen (body), body);
  g_idle_add (refuse_cb, pending);
}
