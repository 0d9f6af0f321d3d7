//! A dialect's OpenAPI 3.1 document, described beside its route table and checked against it:
//! [`undocumented`] names every route of the table the document lacks (and every operation of
//! the document no route serves), so a route added without its description fails a test.
//!
//! Schemas come from the wire types (`#[derive(utoipa::ToSchema)]`); operations are written
//! with [`Op`], whose refusals all point at the dialect's one error envelope.

use actix_web::http::Method;
use utoipa::openapi::path::{
    HttpMethod, Operation, OperationBuilder, ParameterBuilder, ParameterIn,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{SecurityRequirement, SecurityScheme};
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, PathItem, Paths, Ref,
    RefOr, Required, ResponseBuilder,
};
use utoipa::ToSchema;

use crate::table::{join, Dialect};

pub use utoipa;

/// The status every operation may answer, beside its own: a body sent too slowly
/// (`limits.body_timeout`) and a method the path does not serve.
const ALWAYS: [u16; 2] = [405, 408];

/// A document under construction: its schemas, security schemes and operations.
pub struct Api {
    title: &'static str,
    description: &'static str,
    error: String,
    schemas: Vec<(String, RefOr<Schema>)>,
    schemes: Vec<(&'static str, SecurityScheme)>,
    paths: Paths,
    /// The media type of every answer's body (`application/json` unless told).
    media: &'static str,
}

impl Api {
    /// `E` is the error envelope every refusal of this dialect carries.
    pub fn new<E: ToSchema>(title: &'static str, description: &'static str) -> Self {
        let mut api = Self {
            title,
            description,
            error: E::name().into_owned(),
            schemas: Vec::new(),
            schemes: Vec::new(),
            paths: Paths::new(),
            media: "application/json",
        };
        api.add_schema::<E>();
        api
    }

    /// Adds `T` (and every schema it refers to) to the components.
    pub fn schema<T: ToSchema>(mut self) -> Self {
        self.add_schema::<T>();
        self
    }

    fn add_schema<T: ToSchema>(&mut self) {
        let mut found = vec![(T::name().into_owned(), T::schema())];
        T::schemas(&mut found);
        for (name, schema) in found {
            if !self.schemas.iter().any(|(n, _)| *n == name) {
                self.schemas.push((name, schema));
            }
        }
    }

    pub fn security_scheme(mut self, name: &'static str, scheme: SecurityScheme) -> Self {
        self.schemes.push((name, scheme));
        self
    }

    /// Every answer (success or refusal) is `media`, not `application/json` (SCIM answers
    /// `application/scim+json`). Call before adding operations.
    pub fn answers_as(mut self, media: &'static str) -> Self {
        self.media = media;
        self
    }

    /// Adds one operation (each route of the table needs exactly one).
    pub fn op(mut self, op: Op) -> Self {
        let operation = op.build(&self.error, self.media);
        self.paths
            .add_path_operation(op.path, vec![op.method], operation);
        self
    }

    pub fn build(self) -> OpenApi {
        let components = self
            .schemes
            .into_iter()
            .fold(ComponentsBuilder::new(), |c, (name, scheme)| {
                c.security_scheme(name, scheme)
            })
            .schemas_from_iter(self.schemas)
            .build();
        OpenApiBuilder::new()
            .info(
                InfoBuilder::new()
                    .title(self.title)
                    .description(Some(self.description))
                    .version(env!("CARGO_PKG_VERSION"))
                    .build(),
            )
            .paths(self.paths)
            .components(Some(components))
            .build()
    }
}

/// A reference to the schema of `T` (added with [`Api::schema`]).
pub fn schema_ref<T: ToSchema>() -> RefOr<Schema> {
    RefOr::Ref(Ref::from_schema_name(T::name()))
}

/// A JSON array of `T`.
pub fn array_of<T: ToSchema>() -> RefOr<Schema> {
    ArrayBuilder::new().items(schema_ref::<T>()).build().into()
}

/// One of these strings.
pub fn one_of(values: &[&str]) -> RefOr<Schema> {
    RefOr::T(Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(values.iter().copied()))
            .build(),
    ))
}

/// A string; `{name}` path segments and most query members are one.
pub fn string() -> RefOr<Schema> {
    RefOr::T(Schema::Object(
        ObjectBuilder::new().schema_type(Type::String).build(),
    ))
}

/// An operation: its route (method and path as the table has them), who may call it, what it
/// takes and every status it answers.
pub struct Op {
    method: HttpMethod,
    path: &'static str,
    summary: &'static str,
    security: Vec<&'static [&'static str]>,
    params: Vec<(ParameterIn, &'static str, bool, RefOr<Schema>)>,
    body: Option<(RefOr<Schema>, bool, &'static [&'static str])>,
    answers: Vec<(u16, &'static str, Option<RefOr<Schema>>)>,
    refusals: Vec<u16>,
    error: Option<String>,
}

impl Op {
    /// Every `{name}` segment of `path` becomes a required string path parameter.
    pub fn new(method: Method, path: &'static str, summary: &'static str) -> Self {
        let params = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| (ParameterIn::Path, name, true, string()))
            .collect();
        Self {
            method: http_method(&method),
            path,
            summary,
            security: Vec::new(),
            params,
            body: None,
            answers: Vec::new(),
            refusals: Vec::new(),
            error: None,
        }
    }

    /// One way to authenticate: all these schemes together. Called again, an alternative.
    pub fn auth(mut self, schemes: &'static [&'static str]) -> Self {
        self.security.push(schemes);
        self
    }

    pub fn query(mut self, name: &'static str, schema: RefOr<Schema>) -> Self {
        self.params.push((ParameterIn::Query, name, false, schema));
        self
    }

    pub fn required_query(mut self, name: &'static str, schema: RefOr<Schema>) -> Self {
        self.params.push((ParameterIn::Query, name, true, schema));
        self
    }

    /// The request body, in these media types.
    pub fn body(
        mut self,
        schema: RefOr<Schema>,
        required: bool,
        media: &'static [&'static str],
    ) -> Self {
        self.body = Some((schema, required, media));
        self
    }

    /// A success, with the JSON schema of its body (`None`: no body).
    pub fn answer(
        mut self,
        status: u16,
        description: &'static str,
        schema: Option<RefOr<Schema>>,
    ) -> Self {
        self.answers.push((status, description, schema));
        self
    }

    /// Refusals, each in the dialect's error envelope. 405 and 408 are always listed.
    pub fn refusals(mut self, statuses: &[u16]) -> Self {
        self.refusals.extend_from_slice(statuses);
        self
    }

    /// This operation's refusals carry `E`, not the dialect's usual envelope.
    pub fn error_as<E: ToSchema>(mut self) -> Self {
        self.error = Some(E::name().into_owned());
        self
    }

    fn build(&self, error: &str, media: &str) -> Operation {
        let error = self.error.as_deref().unwrap_or(error);
        let mut op = OperationBuilder::new()
            .summary(Some(self.summary))
            .operation_id(Some(format!(
                "{}{}",
                method_name(&self.method),
                self.path.replace(['{', '}'], "")
            )));
        for (at, name, required, schema) in &self.params {
            op = op.parameter(
                ParameterBuilder::new()
                    .name(*name)
                    .parameter_in(at.clone())
                    .required(if *required {
                        Required::True
                    } else {
                        Required::False
                    })
                    .schema(Some(schema.clone())),
            );
        }
        if let Some((schema, required, media)) = &self.body {
            let mut body = RequestBodyBuilder::new().required(Some(if *required {
                Required::True
            } else {
                Required::False
            }));
            for m in *media {
                body = body.content(
                    *m,
                    ContentBuilder::new().schema(Some(schema.clone())).build(),
                );
            }
            op = op.request_body(Some(body.build()));
        }
        for schemes in &self.security {
            op = op.security(schemes.iter().fold(SecurityRequirement::default(), |r, s| {
                r.add::<_, [&str; 0], &str>(*s, [])
            }));
        }
        for (status, description, schema) in &self.answers {
            let mut response = ResponseBuilder::new().description(*description);
            if let Some(schema) = schema {
                response = response.content(
                    media,
                    ContentBuilder::new().schema(Some(schema.clone())).build(),
                );
            }
            op = op.response(status.to_string(), response.build());
        }
        let mut refusals = self.refusals.clone();
        refusals.extend(ALWAYS);
        refusals.sort_unstable();
        refusals.dedup();
        for status in refusals {
            let reason = actix_web::http::StatusCode::from_u16(status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("refused");
            op = op.response(
                status.to_string(),
                ResponseBuilder::new()
                    .description(reason)
                    .content(
                        media,
                        ContentBuilder::new()
                            .schema(Some(RefOr::Ref(Ref::from_schema_name(error))))
                            .build(),
                    )
                    .build(),
            );
        }
        op.build()
    }
}

fn http_method(method: &Method) -> HttpMethod {
    match *method {
        Method::POST => HttpMethod::Post,
        Method::PUT => HttpMethod::Put,
        Method::DELETE => HttpMethod::Delete,
        Method::PATCH => HttpMethod::Patch,
        Method::HEAD => HttpMethod::Head,
        Method::OPTIONS => HttpMethod::Options,
        Method::TRACE => HttpMethod::Trace,
        _ => HttpMethod::Get,
    }
}

fn method_name(method: &HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "get",
        HttpMethod::Post => "post",
        HttpMethod::Put => "put",
        HttpMethod::Delete => "delete",
        HttpMethod::Patch => "patch",
        HttpMethod::Head => "head",
        HttpMethod::Options => "options",
        HttpMethod::Trace => "trace",
    }
}

/// The operations of a path item, by method.
fn operations(item: &PathItem) -> Vec<(&'static str, &Operation)> {
    [
        ("GET", &item.get),
        ("POST", &item.post),
        ("PUT", &item.put),
        ("DELETE", &item.delete),
        ("PATCH", &item.patch),
        ("HEAD", &item.head),
        ("OPTIONS", &item.options),
        ("TRACE", &item.trace),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.as_ref().map(|op| (m, op)))
    .collect()
}

/// Where the dialect's document and its route table disagree: `GET /path` of a route the
/// document lacks, `document: GET /path` of an operation no route serves. Empty when they agree.
pub fn undocumented(dialect: &Dialect) -> Vec<String> {
    let doc = (dialect.openapi)();
    let mut drift: Vec<String> = dialect
        .routes
        .iter()
        .filter(|r| {
            doc.paths
                .get_path_operation(r.path, http_method(&r.method))
                .is_none()
        })
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    for (path, item) in &doc.paths.paths {
        for (method, _) in operations(item) {
            if !dialect
                .routes
                .iter()
                .any(|r| r.path == path && r.method.as_str() == method)
            {
                drift.push(format!("document: {method} {path}"));
            }
        }
    }
    drift
}

/// The dialect's document as served for a mount at `prefix`: every path with the prefix.
pub fn document_at(dialect: &Dialect, prefix: &str) -> OpenApi {
    let mut doc = (dialect.openapi)();
    let paths = std::mem::take(&mut doc.paths.paths);
    doc.paths.paths = paths
        .into_iter()
        .map(|(path, item)| (join(prefix, &path), item))
        .collect();
    doc
}

#[cfg(test)]
mod tests;
