--
-- PostgreSQL database dump
--

\restrict Z7cgIrdfk6KLkGaMAEi9N4sjUtkOEadxINNieSCc9dcHbw7DdUVlebojDh3u2UL

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: answer; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE answer (
    id uuid NOT NULL,
    trajectory_id uuid NOT NULL,
    step integer NOT NULL,
    question character varying(40) NOT NULL,
    attempt integer NOT NULL,
    accepted boolean NOT NULL,
    answered_by character varying(200) NOT NULL,
    answered_at timestamp with time zone NOT NULL,
    payload json NOT NULL,
    errors json NOT NULL,
    final boolean NOT NULL,
    flow_run_id uuid
);


--
-- Name: auditentry; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE auditentry (
    id integer NOT NULL,
    at timestamp with time zone NOT NULL,
    actor character varying(200) NOT NULL,
    action character varying(40) NOT NULL,
    trajectory_id uuid,
    detail json NOT NULL
);


--
-- Name: auditentry_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE auditentry_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: auditentry_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE auditentry_id_seq OWNED BY auditentry.id;


--
-- Name: clockoverride; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE clockoverride (
    id integer NOT NULL,
    today date NOT NULL
);


--
-- Name: contact; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE contact (
    id uuid NOT NULL,
    school_id uuid NOT NULL,
    role character varying(40) NOT NULL,
    name character varying(200) NOT NULL,
    email character varying(254) NOT NULL
);


--
-- Name: outboxfailure; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE outboxfailure (
    id integer NOT NULL,
    message_id uuid NOT NULL,
    attempt integer NOT NULL,
    at timestamp with time zone NOT NULL,
    failure character varying(10) NOT NULL,
    error text NOT NULL
);


--
-- Name: outboxfailure_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE outboxfailure_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: outboxfailure_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE outboxfailure_id_seq OWNED BY outboxfailure.id;


--
-- Name: outboxmessage; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE outboxmessage (
    id uuid NOT NULL,
    dedup_key character varying(512) NOT NULL,
    trajectory_id uuid,
    step integer NOT NULL,
    recipient character varying(254) NOT NULL,
    recipient_name character varying(200) NOT NULL,
    kind character varying(30) NOT NULL,
    topic character varying(100) NOT NULL,
    subject character varying(400) NOT NULL,
    text_body text NOT NULL,
    html_body text NOT NULL,
    ics text,
    status character varying(10) NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    last_attempt_at timestamp with time zone,
    last_error text,
    created_at timestamp with time zone NOT NULL,
    sent_at timestamp with time zone
);


--
-- Name: pupil; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE pupil (
    id uuid NOT NULL,
    first_name character varying(100) NOT NULL,
    last_name character varying(100) NOT NULL,
    birth_date date NOT NULL,
    po_school_id uuid NOT NULL,
    groep integer NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: school; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE school (
    id uuid NOT NULL,
    brin character varying(8),
    name character varying(200) NOT NULL,
    kind character varying(3) NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: steprecord; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE steprecord (
    id uuid NOT NULL,
    trajectory_id uuid NOT NULL,
    step integer NOT NULL,
    status character varying(10) NOT NULL,
    opened_on date,
    due_by date,
    opened_at timestamp with time zone,
    closed_at timestamp with time zone,
    answered_by character varying(200),
    answered_at timestamp with time zone,
    answer json,
    note character varying
);


--
-- Name: tlvrequest; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE tlvrequest (
    id uuid NOT NULL,
    trajectory_id uuid NOT NULL,
    kind character varying(3) NOT NULL,
    tussengroep boolean NOT NULL,
    grensgebied boolean NOT NULL,
    submitted_by character varying(200) NOT NULL,
    submitted_on date NOT NULL,
    advice character varying(20) NOT NULL,
    decision character varying(20),
    category character varying(10),
    decided_on date,
    valid_until date,
    reason character varying,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: trackrun; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE trackrun (
    status character varying(10) NOT NULL,
    waiting_for character varying(10) NOT NULL,
    current_step integer,
    current_question character varying(40),
    wait_until date,
    due date,
    pause_key character varying(80),
    wait_seq integer NOT NULL,
    flow_run_id uuid,
    started_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone,
    id uuid NOT NULL,
    trajectory_id uuid NOT NULL,
    track character varying(20) NOT NULL,
    step integer
);


--
-- Name: trajectory; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE trajectory (
    status character varying(10) NOT NULL,
    waiting_for character varying(10) NOT NULL,
    current_step integer,
    current_question character varying(40),
    wait_until date,
    due date,
    pause_key character varying(80),
    wait_seq integer NOT NULL,
    flow_run_id uuid,
    started_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone,
    id uuid NOT NULL,
    pupil_id uuid NOT NULL,
    code character varying(8) NOT NULL,
    cohort integer NOT NULL,
    transfer_groep integer NOT NULL,
    route character varying(10) NOT NULL,
    plan_version character varying(40) NOT NULL,
    vo_school_id uuid
);


--
-- Name: auditentry id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY auditentry ALTER COLUMN id SET DEFAULT nextval('auditentry_id_seq'::regclass);


--
-- Name: outboxfailure id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY outboxfailure ALTER COLUMN id SET DEFAULT nextval('outboxfailure_id_seq'::regclass);


--
-- Data for Name: answer; Type: TABLE DATA; Schema: public; Owner: -
--

COPY answer (id, trajectory_id, step, question, attempt, accepted, answered_by, answered_at, payload, errors, final, flow_run_id) FROM stdin;
0604a78d-fc07-4566-b14b-af4ba111cf6d	739ceed6-b987-4ece-a98a-bd834e54285b	1	vaststelling	1	t	Demo: I. Mulder, intern begeleider	2025-09-01 11:20:10.24145+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "uitgevoerd_op": "2025-09-01", "toelichting": "Stap 1: besproken en vastgelegd."}	[]	t	\N
107b1e5f-15ef-43f0-8f39-72f5d7cddc55	739ceed6-b987-4ece-a98a-bd834e54285b	2	overleg	1	t	Demo: I. Mulder, intern begeleider	2025-10-01 11:20:10.267004+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "vo_school": "Dr. Nassau College Penta", "in_aanmerking": "ja", "toelichting": "Stap 2: besproken en vastgelegd."}	[]	t	\N
7bf77a00-f984-4ec7-80af-e452cd574818	739ceed6-b987-4ece-a98a-bd834e54285b	3	open_dagen	1	t	Demo: I. Mulder, intern begeleider	2025-11-01 12:20:10.290348+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "uitgevoerd_op": "2025-11-01", "toelichting": "Stap 3: besproken en vastgelegd."}	[]	t	\N
b88c20d6-ff88-4982-9e7b-0a98753f1e4c	739ceed6-b987-4ece-a98a-bd834e54285b	5	vaststelling	1	t	Demo: I. Mulder, intern begeleider	2026-01-01 12:20:10.320995+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "in_stappenplan": "ja", "toelichting": "Stap 5: besproken en vastgelegd."}	[]	t	\N
99c9a507-d6ac-4bc2-b584-bd496b82ea2d	739ceed6-b987-4ece-a98a-bd834e54285b	6	gesprek	1	t	Demo: I. Mulder, intern begeleider	2026-02-01 12:20:10.343648+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2026-02-01", "aanwezig": "Stap 6: besproken en vastgelegd.", "afspraken": "Stap 6: besproken en vastgelegd."}	[]	t	\N
3225553b-f2e7-46f0-895e-455c40bcf5c2	739ceed6-b987-4ece-a98a-bd834e54285b	7	gesprek	1	t	Demo: I. Mulder, intern begeleider	2026-02-01 12:20:10.3638+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2026-02-01", "aanwezig": "Stap 7: besproken en vastgelegd.", "afspraken": "Stap 7: besproken en vastgelegd."}	[]	t	\N
85626259-2dc4-4e14-b60a-f0302ad282f8	739ceed6-b987-4ece-a98a-bd834e54285b	8	voorkeur	1	t	Demo: I. Mulder, intern begeleider	2026-02-01 12:20:10.383287+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "vo_school": "Dr. Nassau College Penta", "toelichting": "Stap 8: besproken en vastgelegd."}	[]	t	\N
3124ba36-5aae-4453-8a89-4d8bfdc92f91	739ceed6-b987-4ece-a98a-bd834e54285b	9	gesprek	1	t	Demo: I. Mulder, intern begeleider	2026-02-01 12:20:10.401783+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2026-02-01", "aanwezig": "Stap 9: besproken en vastgelegd.", "afspraken": "Stap 9: besproken en vastgelegd."}	[]	t	\N
a309f28e-fbfc-453b-9080-e098398f5af5	739ceed6-b987-4ece-a98a-bd834e54285b	10	inventarisatie	1	t	Demo: I. Mulder, intern begeleider	2026-03-01 12:20:10.421833+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "uitgevoerd_op": "2026-03-01", "toelichting": "Stap 10: besproken en vastgelegd."}	[]	t	\N
06d38a09-2c33-4619-bfb8-537809aa9170	739ceed6-b987-4ece-a98a-bd834e54285b	11	terugkoppeling	1	t	Demo: I. Mulder, intern begeleider	2026-03-01 12:20:10.440815+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2026-03-01", "aanwezig": "Stap 11: besproken en vastgelegd.", "afspraken": "Stap 11: besproken en vastgelegd."}	[]	t	\N
32bdb3f8-b871-43e6-9cc5-a07a73b49f23	739ceed6-b987-4ece-a98a-bd834e54285b	12	plan	1	t	Demo: I. Mulder, intern begeleider	2026-06-01 11:20:10.462677+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "doelen": "Stap 12: besproken en vastgelegd.", "acties": "Stap 12: besproken en vastgelegd.", "evaluatie_op": "2027-03-28"}	[]	t	\N
439c4fa6-640a-43ba-a3e0-c3f1cf3a0a92	739ceed6-b987-4ece-a98a-bd834e54285b	14	screening	1	t	Demo: I. Mulder, intern begeleider	2026-11-01 12:20:10.498417+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "dle_begrijpend_lezen": 45, "dle_technisch_lezen": 45, "dle_spellen": 45, "dle_rekenen": 45, "iq": 0, "sociaal_emotioneel": false}	[]	t	\N
f94c2885-8a86-4c74-9a04-1f0bc0b48758	739ceed6-b987-4ece-a98a-bd834e54285b	14	evaluatie	1	t	Demo: I. Mulder, intern begeleider	2026-11-01 12:20:10.508948+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "route": "regulier", "vervolgplan_nodig": true, "evaluatie": "Stap 14: besproken en vastgelegd."}	[]	t	\N
f3029068-d7a9-4ede-8041-5052291cf49e	739ceed6-b987-4ece-a98a-bd834e54285b	19	advies	1	t	Demo: I. Mulder, intern begeleider	2027-01-01 12:20:10.557692+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "advies": "praktijkonderwijs", "toelichting": "Stap 19: besproken en vastgelegd."}	[]	t	\N
6df1550c-5337-4b33-90c9-8591a8bc593a	739ceed6-b987-4ece-a98a-bd834e54285b	20	advies	1	t	Demo: I. Mulder, intern begeleider	2027-03-15 12:20:10.639199+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "advies": "praktijkonderwijs", "toelichting": "Stap 20: besproken en vastgelegd."}	[]	t	\N
db340384-0ba0-4cee-8015-c72c89dde66d	739ceed6-b987-4ece-a98a-bd834e54285b	21	aanmelding	1	t	Demo: I. Mulder, intern begeleider	2027-03-25 12:20:10.662121+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "vo_school": "Dr. Nassau College Penta", "aangemeld_op": "2027-03-25", "formulier_volledig_op": "2027-03-25", "nader_overleg_nodig": true}	[]	t	\N
6370d8b2-d286-4e86-865d-ddf33f1139e9	739ceed6-b987-4ece-a98a-bd834e54285b	22	overleg	1	t	Demo: I. Mulder, intern begeleider	2027-03-25 12:20:10.68926+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2027-03-25", "afspraken": "Stap 22: besproken en vastgelegd.", "uitkomst": "regulier verder"}	[]	t	\N
32e47168-20c4-4f5f-8662-6b7b00cb151a	739ceed6-b987-4ece-a98a-bd834e54285b	23	overdracht	1	t	Demo: I. Mulder, intern begeleider	2027-03-25 12:20:10.708202+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2027-03-25", "aanwezig": "Stap 23: besproken en vastgelegd.", "afspraken": "Stap 23: besproken en vastgelegd."}	[]	t	\N
94bb598d-db16-45db-a79d-d6a9af07f74f	739ceed6-b987-4ece-a98a-bd834e54285b	21	oso	1	t	Demo: I. Mulder, intern begeleider	2027-03-25 12:20:10.722832+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "onderwijskundig_rapport": true, "plaatsingswijzer": true, "ondersteuningsbehoefte_ouders": true, "ondersteuningsbehoefte_school": true, "onderzoeksverslagen": true, "handelingsplannen": true, "klaargezet_op": "2027-03-25"}	[]	t	\N
40c9f316-b775-4b13-8597-305baf0f0c9f	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	1	vaststelling	1	t	Demo: I. Mulder, intern begeleider	2025-09-01 11:20:10.749273+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "uitgevoerd_op": "2025-09-01", "toelichting": "Stap 1: besproken en vastgelegd."}	[]	t	\N
990f5c1f-c400-4c34-b297-6810e1209224	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	2	overleg	1	t	Demo: I. Mulder, intern begeleider	2025-10-01 11:20:10.766699+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "vo_school": "Dr. Nassau College Penta", "in_aanmerking": "ja", "toelichting": "Stap 2: besproken en vastgelegd."}	[]	t	\N
b735264a-eb10-4e69-83a2-3e534e726b7a	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	3	open_dagen	1	t	Demo: I. Mulder, intern begeleider	2025-11-01 12:20:10.785733+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "uitgevoerd_op": "2025-11-01", "toelichting": "Stap 3: besproken en vastgelegd."}	[]	t	\N
b4a4b90e-f83e-478f-952f-3196b2b89e67	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	5	vaststelling	1	t	Demo: I. Mulder, intern begeleider	2026-01-01 12:20:10.814098+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "in_stappenplan": "ja", "toelichting": "Stap 5: besproken en vastgelegd."}	[]	t	\N
3061ae85-aa47-424b-910e-7e2c2992720c	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	6	gesprek	1	t	Demo: I. Mulder, intern begeleider	2026-02-01 12:20:10.832004+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2026-02-01", "aanwezig": "Stap 6: besproken en vastgelegd.", "afspraken": "Stap 6: besproken en vastgelegd."}	[]	t	\N
81b70627-92de-4df8-87f8-431a496a82da	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	7	gesprek	1	t	Demo: I. Mulder, intern begeleider	2026-02-01 12:20:10.847724+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2026-02-01", "aanwezig": "Stap 7: besproken en vastgelegd.", "afspraken": "Stap 7: besproken en vastgelegd."}	[]	t	\N
aa4f4aaa-23b8-43ae-bf78-6288586d45f7	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	8	voorkeur	1	t	Demo: I. Mulder, intern begeleider	2026-02-01 12:20:10.863901+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "vo_school": "Dr. Nassau College Penta", "toelichting": "Stap 8: besproken en vastgelegd."}	[]	t	\N
deb4c5d8-95b5-4ca9-8b3d-0473abb4d993	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	9	gesprek	1	t	Demo: I. Mulder, intern begeleider	2026-02-01 12:20:10.881109+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2026-02-01", "aanwezig": "Stap 9: besproken en vastgelegd.", "afspraken": "Stap 9: besproken en vastgelegd."}	[]	t	\N
9c41c36b-b089-4329-99fc-41e9afb5fccd	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	10	inventarisatie	1	t	Demo: I. Mulder, intern begeleider	2026-03-01 12:20:10.901083+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "uitgevoerd_op": "2026-03-01", "toelichting": "Stap 10: besproken en vastgelegd."}	[]	t	\N
0c1a0d20-7a2b-485e-85db-6513166788b5	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	14	screening	1	t	Demo: I. Mulder, intern begeleider	2026-11-01 12:20:10.96681+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "dle_begrijpend_lezen": 45, "dle_technisch_lezen": 45, "dle_spellen": 45, "dle_rekenen": 45, "iq": 0, "sociaal_emotioneel": false}	[]	t	\N
adbf41b2-5632-4f64-b3c2-accba48b9020	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	16	aanmelding	1	t	Demo: I. Mulder, intern begeleider	2026-12-01 12:20:11.002418+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "school": "PrO Assen", "aangemeld_op": "2026-12-01", "formulier_volledig_op": "2026-12-01", "tussengroep": false}	[]	t	\N
cfcd7771-8a06-4235-b66c-ff6b6a4501b5	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	16	oso	1	t	Demo: I. Mulder, intern begeleider	2026-12-01 12:20:11.025888+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "onderwijskundig_rapport": true, "plaatsingswijzer": true, "ondersteuningsbehoefte_ouders": true, "ondersteuningsbehoefte_school": true, "onderzoeksverslagen": true, "handelingsplannen": true, "klaargezet_op": "2026-12-01"}	[]	t	\N
e2138385-bd32-4d87-9012-876245696982	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	20	advies	1	t	Demo: I. Mulder, intern begeleider	2027-03-15 12:20:11.098217+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "advies": "praktijkonderwijs", "toelichting": "Stap 20: besproken en vastgelegd."}	[]	t	\N
fefbe328-00e4-4301-965e-7ed45d7349ae	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	23	overdracht	1	t	Demo: I. Mulder, intern begeleider	2027-03-25 12:20:11.127422+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2027-03-25", "aanwezig": "Stap 23: besproken en vastgelegd.", "afspraken": "Stap 23: besproken en vastgelegd."}	[]	t	\N
dbd7962b-fb0c-4160-b3cd-3e192ad948a9	08780e69-db68-4fc6-a621-1a1860e2e55d	1	vaststelling	1	t	Demo: I. Mulder, intern begeleider	2025-09-01 11:20:11.155499+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "uitgevoerd_op": "2025-09-01", "toelichting": "Stap 1: besproken en vastgelegd."}	[]	t	\N
71bd1176-aa4f-43a1-b348-37edbea8ddb8	08780e69-db68-4fc6-a621-1a1860e2e55d	2	overleg	1	t	Demo: I. Mulder, intern begeleider	2025-10-01 11:20:11.174104+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "vo_school": "Dr. Nassau College Penta", "in_aanmerking": "ja", "toelichting": "Stap 2: besproken en vastgelegd."}	[]	t	\N
03014a9b-e19d-4087-98f8-f759f21155f2	08780e69-db68-4fc6-a621-1a1860e2e55d	3	open_dagen	1	t	Demo: I. Mulder, intern begeleider	2025-11-01 12:20:11.193664+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "uitgevoerd_op": "2025-11-01", "toelichting": "Stap 3: besproken en vastgelegd."}	[]	t	\N
a81f6680-6ecd-4fc1-afaf-6d665a5f2489	08780e69-db68-4fc6-a621-1a1860e2e55d	5	vaststelling	1	t	Demo: I. Mulder, intern begeleider	2026-01-01 12:20:11.219812+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "in_stappenplan": "ja", "toelichting": "Stap 5: besproken en vastgelegd."}	[]	t	\N
0ca952f5-94ec-4414-82c9-92733d257826	08780e69-db68-4fc6-a621-1a1860e2e55d	6	gesprek	1	t	Demo: I. Mulder, intern begeleider	2026-02-01 12:20:11.239251+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2026-02-01", "aanwezig": "Stap 6: besproken en vastgelegd.", "afspraken": "Stap 6: besproken en vastgelegd."}	[]	t	\N
6d62de59-e589-463b-9090-6ad99fa4a350	08780e69-db68-4fc6-a621-1a1860e2e55d	8	voorkeur	1	t	Demo: I. Mulder, intern begeleider	2026-02-01 12:20:11.273098+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "vo_school": "Dr. Nassau College Penta", "toelichting": "Stap 8: besproken en vastgelegd."}	[]	t	\N
9d2a9e1e-508a-494e-8b9c-fce2069efd76	08780e69-db68-4fc6-a621-1a1860e2e55d	11	terugkoppeling	1	t	Demo: I. Mulder, intern begeleider	2026-03-01 12:20:11.326384+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2026-03-01", "aanwezig": "Stap 11: besproken en vastgelegd.", "afspraken": "Stap 11: besproken en vastgelegd."}	[]	t	\N
9d6c7a3f-9881-4693-a83d-25b83a6a77c7	08780e69-db68-4fc6-a621-1a1860e2e55d	12	plan	1	t	Demo: I. Mulder, intern begeleider	2026-06-01 11:20:11.346722+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "doelen": "Stap 12: besproken en vastgelegd.", "acties": "Stap 12: besproken en vastgelegd.", "evaluatie_op": "2027-03-28"}	[]	t	\N
baca17e2-756e-4e74-abca-b69d181f60f7	08780e69-db68-4fc6-a621-1a1860e2e55d	14	evaluatie	1	t	Demo: I. Mulder, intern begeleider	2026-11-01 12:20:11.390759+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "route": "regulier", "vervolgplan_nodig": true, "evaluatie": "Stap 14: besproken en vastgelegd."}	[]	t	\N
53d1549c-1a7c-4709-88db-ac0035405d43	08780e69-db68-4fc6-a621-1a1860e2e55d	19	advies	1	t	Demo: I. Mulder, intern begeleider	2027-01-01 12:20:11.467212+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "advies": "praktijkonderwijs", "toelichting": "Stap 19: besproken en vastgelegd."}	[]	t	\N
0ad03165-f267-4d8e-84bb-4769c2f534b9	c7cc1071-0aee-4848-8bef-cc1966a3eedc	1	vaststelling	1	t	Demo: I. Mulder, intern begeleider	2025-09-01 11:20:11.508886+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "uitgevoerd_op": "2025-09-01", "toelichting": "Stap 1: besproken en vastgelegd."}	[]	t	\N
17d744da-d7d5-4ad1-805c-c72ac98c7080	c7cc1071-0aee-4848-8bef-cc1966a3eedc	2	overleg	1	t	Demo: I. Mulder, intern begeleider	2025-10-01 11:20:11.526962+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "vo_school": "CS Vincent van Gogh Lariks", "in_aanmerking": "ja", "toelichting": "Stap 2: besproken en vastgelegd."}	[]	t	\N
6f879c8b-322a-4ae0-b22d-08b3aa0012a7	c7cc1071-0aee-4848-8bef-cc1966a3eedc	3	open_dagen	1	t	Demo: I. Mulder, intern begeleider	2025-11-01 12:20:11.546898+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "uitgevoerd_op": "2025-11-01", "toelichting": "Stap 3: besproken en vastgelegd."}	[]	t	\N
b5a4370f-9147-467a-9f9a-de1f834a7b30	c7cc1071-0aee-4848-8bef-cc1966a3eedc	5	vaststelling	1	t	Demo: I. Mulder, intern begeleider	2026-01-01 12:20:11.574509+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "in_stappenplan": "nee", "toelichting": "Geen extra begeleiding nodig."}	[]	t	\N
b964f602-a1b3-4aa7-82e7-44cad400a8c6	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	11	terugkoppeling	1	t	Demo: I. Mulder, intern begeleider	2026-03-01 12:20:10.91802+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2026-03-01", "aanwezig": "Stap 11: besproken en vastgelegd.", "afspraken": "Stap 11: besproken en vastgelegd."}	[]	t	\N
14e77b97-c721-4d18-9b3e-43ded6bc2425	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	12	plan	1	t	Demo: I. Mulder, intern begeleider	2026-06-01 11:20:10.93783+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "doelen": "Stap 12: besproken en vastgelegd.", "acties": "Stap 12: besproken en vastgelegd.", "evaluatie_op": "2027-03-28"}	[]	t	\N
506a96cb-d577-439f-9170-004d1b1bef07	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	14	evaluatie	1	t	Demo: I. Mulder, intern begeleider	2026-11-01 12:20:10.976322+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "route": "pro", "vervolgplan_nodig": false, "evaluatie": "Stap 14: besproken en vastgelegd."}	[]	t	\N
28b982bf-df89-4863-855e-8c2f0082ce54	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	17	onderzoek	1	t	Demo: I. Mulder, intern begeleider	2026-12-01 12:20:11.046313+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "advies": "positief", "toelichting": "Stap 17: besproken en vastgelegd."}	[]	t	\N
78d4e90d-db9b-4b26-85a5-a98caeb49142	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	19	advies	1	t	Demo: I. Mulder, intern begeleider	2027-01-01 12:20:11.072264+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "advies": "praktijkonderwijs", "toelichting": "Stap 19: besproken en vastgelegd."}	[]	t	\N
0a6086c9-23f4-430f-a125-a1a5bb230e23	08780e69-db68-4fc6-a621-1a1860e2e55d	7	gesprek	1	t	Demo: I. Mulder, intern begeleider	2026-02-01 12:20:11.256451+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2026-02-01", "aanwezig": "Stap 7: besproken en vastgelegd.", "afspraken": "Stap 7: besproken en vastgelegd."}	[]	t	\N
d8a2f9c5-39a3-4dd1-b635-22d6c42394ae	08780e69-db68-4fc6-a621-1a1860e2e55d	9	gesprek	1	t	Demo: I. Mulder, intern begeleider	2026-02-01 12:20:11.289913+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2026-02-01", "aanwezig": "Stap 9: besproken en vastgelegd.", "afspraken": "Stap 9: besproken en vastgelegd."}	[]	t	\N
51826417-9846-4ae8-a7eb-7be36ed2f9b7	08780e69-db68-4fc6-a621-1a1860e2e55d	10	inventarisatie	1	t	Demo: I. Mulder, intern begeleider	2026-03-01 12:20:11.308964+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "uitgevoerd_op": "2026-03-01", "toelichting": "Stap 10: besproken en vastgelegd."}	[]	t	\N
375ed374-95bf-463a-82ce-89bb3b442341	08780e69-db68-4fc6-a621-1a1860e2e55d	14	screening	1	t	Demo: I. Mulder, intern begeleider	2026-11-01 12:20:11.379751+00	{"beantwoord_door": "Demo: I. Mulder, intern begeleider", "dle_begrijpend_lezen": 45, "dle_technisch_lezen": 45, "dle_spellen": 45, "dle_rekenen": 45, "iq": 0, "sociaal_emotioneel": false}	[]	t	\N
\.


--
-- Data for Name: auditentry; Type: TABLE DATA; Schema: public; Owner: -
--

COPY auditentry (id, at, actor, action, trajectory_id, detail) FROM stdin;
1	2026-11-30 12:20:10.200852+00	systeem	scholen_seed	\N	{"toegevoegd": 14}
2	2025-09-01 11:20:10.217091+00	fixture	ingeschreven	739ceed6-b987-4ece-a98a-bd834e54285b	{"code": "7F3K", "cohort": 2027, "groep": 7, "uitstroom_uit_groep": 8, "plan": "2025-2026.1"}
3	2025-09-01 11:20:10.226943+00	systeem	stap_geopend	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 1, "periode_vanaf": "2025-09-01", "uiterlijk": "2025-10-31"}
4	2025-09-01 11:20:10.245968+00	Demo: I. Mulder, intern begeleider	antwoord	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 1, "vraag": "vaststelling", "poging": 1, "fouten": []}
5	2025-09-01 11:20:10.251449+00	systeem	stap_afgerond	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 1, "status": "done"}
6	2025-10-01 11:20:10.259032+00	systeem	stap_geopend	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 2, "periode_vanaf": "2025-10-01", "uiterlijk": "2025-10-31"}
7	2025-10-01 11:20:10.270794+00	Demo: I. Mulder, intern begeleider	antwoord	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 2, "vraag": "overleg", "poging": 1, "fouten": []}
8	2025-10-01 11:20:10.275847+00	systeem	stap_afgerond	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 2, "status": "done"}
9	2025-11-01 12:20:10.282812+00	systeem	stap_geopend	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 3, "periode_vanaf": "2025-11-01", "uiterlijk": "2025-11-30"}
10	2025-11-01 12:20:10.29333+00	Demo: I. Mulder, intern begeleider	antwoord	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 3, "vraag": "open_dagen", "poging": 1, "fouten": []}
11	2025-11-01 12:20:10.297758+00	systeem	stap_afgerond	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 3, "status": "done"}
12	2026-01-01 12:20:10.305036+00	systeem	stap_geopend	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 4, "periode_vanaf": "2026-01-01", "uiterlijk": "2026-01-31"}
13	2026-01-01 12:20:10.309598+00	systeem	stap_afgerond	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 4, "status": "done"}
14	2026-01-01 12:20:10.313948+00	systeem	stap_geopend	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 5, "periode_vanaf": "2026-01-01", "uiterlijk": "2026-02-28"}
15	2026-01-01 12:20:10.324273+00	Demo: I. Mulder, intern begeleider	antwoord	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 5, "vraag": "vaststelling", "poging": 1, "fouten": []}
16	2026-01-01 12:20:10.328459+00	systeem	stap_afgerond	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 5, "status": "done"}
17	2026-02-01 12:20:10.336075+00	systeem	stap_geopend	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 6, "periode_vanaf": "2026-02-01", "uiterlijk": "2026-02-28"}
18	2026-02-01 12:20:10.347069+00	Demo: I. Mulder, intern begeleider	antwoord	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 6, "vraag": "gesprek", "poging": 1, "fouten": []}
19	2026-02-01 12:20:10.351262+00	systeem	stap_afgerond	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 6, "status": "done"}
20	2026-02-01 12:20:10.35544+00	systeem	stap_geopend	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 7, "periode_vanaf": "2026-02-01", "uiterlijk": "2026-02-28"}
21	2026-02-01 12:20:10.367254+00	Demo: I. Mulder, intern begeleider	antwoord	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 7, "vraag": "gesprek", "poging": 1, "fouten": []}
22	2026-02-01 12:20:10.371607+00	systeem	stap_afgerond	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 7, "status": "done"}
23	2026-02-01 12:20:10.375831+00	systeem	stap_geopend	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 8, "periode_vanaf": "2026-02-01", "uiterlijk": "2026-02-28"}
24	2026-02-01 12:20:10.386733+00	Demo: I. Mulder, intern begeleider	antwoord	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 8, "vraag": "voorkeur", "poging": 1, "fouten": []}
25	2026-02-01 12:20:10.39068+00	systeem	stap_afgerond	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 8, "status": "done"}
26	2026-02-01 12:20:10.394801+00	systeem	stap_geopend	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 9, "periode_vanaf": "2026-02-01", "uiterlijk": "2026-03-31"}
27	2026-02-01 12:20:10.404793+00	Demo: I. Mulder, intern begeleider	antwoord	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 9, "vraag": "gesprek", "poging": 1, "fouten": []}
28	2026-02-01 12:20:10.408382+00	systeem	stap_afgerond	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 9, "status": "done"}
29	2026-03-01 12:20:10.414547+00	systeem	stap_geopend	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 10, "periode_vanaf": "2026-03-01", "uiterlijk": "2026-03-31"}
30	2026-03-01 12:20:10.424988+00	Demo: I. Mulder, intern begeleider	antwoord	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 10, "vraag": "inventarisatie", "poging": 1, "fouten": []}
31	2026-03-01 12:20:10.429072+00	systeem	stap_afgerond	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 10, "status": "done"}
32	2026-03-01 12:20:10.433349+00	systeem	stap_geopend	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 11, "periode_vanaf": "2026-03-01", "uiterlijk": "2026-03-31"}
33	2026-03-01 12:20:10.444234+00	Demo: I. Mulder, intern begeleider	antwoord	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 11, "vraag": "terugkoppeling", "poging": 1, "fouten": []}
34	2026-03-01 12:20:10.448266+00	systeem	stap_afgerond	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 11, "status": "done"}
35	2026-06-01 11:20:10.455058+00	systeem	stap_geopend	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 12, "periode_vanaf": "2026-06-01", "uiterlijk": "2026-06-30"}
36	2026-06-01 11:20:10.466014+00	Demo: I. Mulder, intern begeleider	antwoord	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 12, "vraag": "plan", "poging": 1, "fouten": []}
37	2026-06-01 11:20:10.47027+00	systeem	stap_afgerond	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 12, "status": "done"}
38	2026-08-01 11:20:10.47724+00	systeem	stap_geopend	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 13, "periode_vanaf": "2026-08-01", "uiterlijk": "2026-12-31"}
39	2026-08-01 11:20:10.483622+00	systeem	stap_afgerond	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 13, "status": "done"}
40	2026-11-01 12:20:10.490517+00	systeem	stap_geopend	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 14, "periode_vanaf": "2026-11-01", "uiterlijk": "2026-11-30"}
41	2026-11-01 12:20:10.501865+00	Demo: I. Mulder, intern begeleider	antwoord	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 14, "vraag": "screening", "poging": 1, "fouten": []}
42	2026-11-01 12:20:10.513049+00	Demo: I. Mulder, intern begeleider	antwoord	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 14, "vraag": "evaluatie", "poging": 1, "fouten": []}
43	2026-11-01 12:20:10.518228+00	systeem	stap_afgerond	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 14, "status": "done"}
44	2026-12-01 12:20:10.524937+00	systeem	stap_geopend	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 15, "periode_vanaf": "2026-12-01", "uiterlijk": "2027-05-31"}
45	2026-12-01 12:20:10.529728+00	systeem	stap_afgerond	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 15, "status": "done"}
46	2026-12-01 12:20:10.534286+00	systeem	stap_overgeslagen	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 16, "reden": "niet van toepassing: alleen bij de route PRO of VSO"}
47	2026-12-01 12:20:10.538823+00	systeem	stap_overgeslagen	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 17, "reden": "niet van toepassing: alleen bij de route PRO of VSO"}
48	2026-12-01 12:20:10.543237+00	systeem	stap_overgeslagen	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 18, "reden": "niet van toepassing: alleen bij de route PRO of VSO"}
49	2027-01-01 12:20:10.549979+00	systeem	stap_geopend	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 19, "periode_vanaf": "2027-01-01", "uiterlijk": "2027-01-31"}
50	2027-01-01 12:20:10.561117+00	Demo: I. Mulder, intern begeleider	antwoord	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 19, "vraag": "advies", "poging": 1, "fouten": []}
51	2027-01-01 12:20:10.565156+00	systeem	stap_afgerond	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 19, "status": "done"}
52	2027-03-15 12:20:10.630536+00	systeem	stap_geopend	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 20, "periode_vanaf": "2027-03-15", "uiterlijk": "2027-03-24"}
53	2027-03-15 12:20:10.642567+00	Demo: I. Mulder, intern begeleider	antwoord	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 20, "vraag": "advies", "poging": 1, "fouten": []}
54	2027-03-15 12:20:10.647049+00	systeem	stap_afgerond	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 20, "status": "done"}
55	2027-03-25 12:20:10.654288+00	systeem	stap_geopend	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 21, "periode_vanaf": "2027-03-25", "uiterlijk": "2027-03-31"}
57	2027-03-25 12:20:10.672438+00	systeem	track_gestart	739ceed6-b987-4ece-a98a-bd834e54285b	{"track": "toelating"}
56	2027-03-25 12:20:10.665397+00	Demo: I. Mulder, intern begeleider	antwoord	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 21, "vraag": "aanmelding", "poging": 1, "fouten": []}
58	2027-03-25 12:20:10.677013+00	systeem	stap_afgerond	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 21, "status": "done"}
60	2027-03-25 12:20:10.692476+00	Demo: I. Mulder, intern begeleider	antwoord	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 22, "vraag": "overleg", "poging": 1, "fouten": []}
62	2027-03-25 12:20:10.70044+00	systeem	stap_geopend	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 23, "periode_vanaf": "2027-03-25", "uiterlijk": "2027-06-30"}
64	2027-03-25 12:20:10.715596+00	systeem	stap_afgerond	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 23, "status": "done"}
68	2025-09-01 11:20:10.740215+00	fixture	ingeschreven	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"code": "6LEV", "cohort": 2027, "groep": 7, "uitstroom_uit_groep": 8, "plan": "2025-2026.1"}
70	2025-09-01 11:20:10.751481+00	Demo: I. Mulder, intern begeleider	antwoord	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 1, "vraag": "vaststelling", "poging": 1, "fouten": []}
73	2025-10-01 11:20:10.769519+00	Demo: I. Mulder, intern begeleider	antwoord	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 2, "vraag": "overleg", "poging": 1, "fouten": []}
76	2025-11-01 12:20:10.788422+00	Demo: I. Mulder, intern begeleider	antwoord	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 3, "vraag": "open_dagen", "poging": 1, "fouten": []}
79	2026-01-01 12:20:10.800909+00	systeem	stap_afgerond	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 4, "status": "done"}
81	2026-01-01 12:20:10.816638+00	Demo: I. Mulder, intern begeleider	antwoord	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 5, "vraag": "vaststelling", "poging": 1, "fouten": []}
84	2026-02-01 12:20:10.834626+00	Demo: I. Mulder, intern begeleider	antwoord	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 6, "vraag": "gesprek", "poging": 1, "fouten": []}
86	2026-02-01 12:20:10.841467+00	systeem	stap_geopend	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 7, "periode_vanaf": "2026-02-01", "uiterlijk": "2026-02-28"}
88	2026-02-01 12:20:10.853796+00	systeem	stap_afgerond	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 7, "status": "done"}
90	2026-02-01 12:20:10.866639+00	Demo: I. Mulder, intern begeleider	antwoord	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 8, "vraag": "voorkeur", "poging": 1, "fouten": []}
92	2026-02-01 12:20:10.874227+00	systeem	stap_geopend	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 9, "periode_vanaf": "2026-02-01", "uiterlijk": "2026-03-31"}
94	2026-02-01 12:20:10.888102+00	systeem	stap_afgerond	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 9, "status": "done"}
95	2026-03-01 12:20:10.894277+00	systeem	stap_geopend	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 10, "periode_vanaf": "2026-03-01", "uiterlijk": "2026-03-31"}
97	2026-03-01 12:20:10.907547+00	systeem	stap_afgerond	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 10, "status": "done"}
99	2026-03-01 12:20:10.920914+00	Demo: I. Mulder, intern begeleider	antwoord	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 11, "vraag": "terugkoppeling", "poging": 1, "fouten": []}
102	2026-06-01 11:20:10.940633+00	Demo: I. Mulder, intern begeleider	antwoord	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 12, "vraag": "plan", "poging": 1, "fouten": []}
105	2026-08-01 11:20:10.954125+00	systeem	stap_afgerond	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 13, "status": "done"}
106	2026-11-01 12:20:10.959879+00	systeem	stap_geopend	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 14, "periode_vanaf": "2026-11-01", "uiterlijk": "2026-11-30"}
108	2026-11-01 12:20:10.979647+00	Demo: I. Mulder, intern begeleider	antwoord	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 14, "vraag": "evaluatie", "poging": 1, "fouten": []}
110	2026-11-01 12:20:10.987258+00	systeem	stap_overgeslagen	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 15, "reden": "niet van toepassing: alleen als bij stap 14 een tweede deel van het plan van aanpak nodig is"}
111	2026-12-01 12:20:10.995063+00	systeem	stap_geopend	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 16, "periode_vanaf": "2026-12-01", "uiterlijk": "2026-12-31"}
113	2026-12-01 12:20:11.010414+00	systeem	track_gestart	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"track": "toelating"}
115	2026-12-01 12:20:11.019141+00	systeem	track_gestart	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"track": "tlv"}
117	2026-12-01 12:20:11.033527+00	systeem	track_afgerond	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"track": "toelating"}
119	2026-12-01 12:20:11.051866+00	systeem	tlv_aangevraagd	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"soort": "PRO", "door": "PrO Assen", "grensgebied": false}
120	2026-12-01 12:20:11.051921+00	Demo: I. Mulder, intern begeleider	antwoord	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 17, "vraag": "onderzoek", "poging": 1, "fouten": []}
123	2027-01-01 12:20:11.07533+00	Demo: I. Mulder, intern begeleider	antwoord	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 19, "vraag": "advies", "poging": 1, "fouten": []}
125	2027-01-01 12:20:11.084454+00	systeem	stap_geopend	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 18, "periode_vanaf": "2027-01-01", "uiterlijk": "2027-05-12"}
126	2027-03-15 12:20:11.09113+00	systeem	stap_geopend	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 20, "periode_vanaf": "2027-03-15", "uiterlijk": "2027-03-24"}
128	2027-03-15 12:20:11.105343+00	systeem	stap_afgerond	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 20, "status": "done"}
130	2027-03-15 12:20:11.113435+00	systeem	stap_overgeslagen	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 22, "reden": "niet van toepassing: alleen als bij de aanmelding nader overleg nodig is"}
131	2027-03-25 12:20:11.120253+00	systeem	stap_geopend	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 23, "periode_vanaf": "2027-03-25", "uiterlijk": "2027-06-30"}
133	2027-03-25 12:20:11.134769+00	systeem	stap_afgerond	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 23, "status": "done"}
134	2027-04-15 11:20:11.141282+00	systeem	wacht_op_track	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 24, "track": "tlv"}
135	2027-04-15 11:20:11.142763+00	systeem	vraag_gesteld	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 18, "vraag": "tlv", "sleutel": "stap-18-tlv-1", "uiterlijk": "2027-05-12"}
137	2025-09-01 11:20:11.149581+00	systeem	stap_geopend	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 1, "periode_vanaf": "2025-09-01", "uiterlijk": "2025-10-31"}
139	2025-09-01 11:20:11.161908+00	systeem	stap_afgerond	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 1, "status": "done"}
140	2025-10-01 11:20:11.167649+00	systeem	stap_geopend	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 2, "periode_vanaf": "2025-10-01", "uiterlijk": "2025-10-31"}
142	2025-10-01 11:20:11.180743+00	systeem	stap_afgerond	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 2, "status": "done"}
143	2025-11-01 12:20:11.186425+00	systeem	stap_geopend	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 3, "periode_vanaf": "2025-11-01", "uiterlijk": "2025-11-30"}
145	2025-11-01 12:20:11.199515+00	systeem	stap_afgerond	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 3, "status": "done"}
146	2026-01-01 12:20:11.204842+00	systeem	stap_geopend	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 4, "periode_vanaf": "2026-01-01", "uiterlijk": "2026-01-31"}
148	2026-01-01 12:20:11.213448+00	systeem	stap_geopend	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 5, "periode_vanaf": "2026-01-01", "uiterlijk": "2026-02-28"}
150	2026-01-01 12:20:11.226065+00	systeem	stap_afgerond	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 5, "status": "done"}
151	2026-02-01 12:20:11.232049+00	systeem	stap_geopend	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 6, "periode_vanaf": "2026-02-01", "uiterlijk": "2026-02-28"}
153	2026-02-01 12:20:11.246223+00	systeem	stap_afgerond	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 6, "status": "done"}
155	2026-02-01 12:20:11.259258+00	Demo: I. Mulder, intern begeleider	antwoord	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 7, "vraag": "gesprek", "poging": 1, "fouten": []}
157	2026-02-01 12:20:11.266369+00	systeem	stap_geopend	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 8, "periode_vanaf": "2026-02-01", "uiterlijk": "2026-02-28"}
159	2026-02-01 12:20:11.279795+00	systeem	stap_afgerond	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 8, "status": "done"}
161	2026-02-01 12:20:11.292773+00	Demo: I. Mulder, intern begeleider	antwoord	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 9, "vraag": "gesprek", "poging": 1, "fouten": []}
59	2027-03-25 12:20:10.681372+00	systeem	stap_geopend	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 22, "periode_vanaf": "2027-03-25", "uiterlijk": "2027-05-12"}
61	2027-03-25 12:20:10.696513+00	systeem	stap_afgerond	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 22, "status": "done"}
63	2027-03-25 12:20:10.711543+00	Demo: I. Mulder, intern begeleider	antwoord	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 23, "vraag": "overdracht", "poging": 1, "fouten": []}
65	2027-03-25 12:20:10.727283+00	Demo: I. Mulder, intern begeleider	antwoord	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 21, "vraag": "oso", "poging": 1, "fouten": []}
66	2027-04-15 11:20:10.734264+00	systeem	wacht_op_track	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 24, "track": "toelating"}
67	2027-04-15 11:20:10.736263+00	systeem	vraag_gesteld	739ceed6-b987-4ece-a98a-bd834e54285b	{"stap": 21, "vraag": "toelating", "sleutel": "stap-21-toelating-1", "uiterlijk": "2027-05-06"}
69	2025-09-01 11:20:10.743319+00	systeem	stap_geopend	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 1, "periode_vanaf": "2025-09-01", "uiterlijk": "2025-10-31"}
71	2025-09-01 11:20:10.754492+00	systeem	stap_afgerond	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 1, "status": "done"}
72	2025-10-01 11:20:10.760054+00	systeem	stap_geopend	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 2, "periode_vanaf": "2025-10-01", "uiterlijk": "2025-10-31"}
74	2025-10-01 11:20:10.773544+00	systeem	stap_afgerond	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 2, "status": "done"}
75	2025-11-01 12:20:10.779618+00	systeem	stap_geopend	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 3, "periode_vanaf": "2025-11-01", "uiterlijk": "2025-11-30"}
77	2025-11-01 12:20:10.791823+00	systeem	stap_afgerond	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 3, "status": "done"}
78	2026-01-01 12:20:10.797306+00	systeem	stap_geopend	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 4, "periode_vanaf": "2026-01-01", "uiterlijk": "2026-01-31"}
80	2026-01-01 12:20:10.807996+00	systeem	stap_geopend	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 5, "periode_vanaf": "2026-01-01", "uiterlijk": "2026-02-28"}
82	2026-01-01 12:20:10.81999+00	systeem	stap_afgerond	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 5, "status": "done"}
83	2026-02-01 12:20:10.825557+00	systeem	stap_geopend	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 6, "periode_vanaf": "2026-02-01", "uiterlijk": "2026-02-28"}
85	2026-02-01 12:20:10.837964+00	systeem	stap_afgerond	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 6, "status": "done"}
87	2026-02-01 12:20:10.850514+00	Demo: I. Mulder, intern begeleider	antwoord	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 7, "vraag": "gesprek", "poging": 1, "fouten": []}
89	2026-02-01 12:20:10.857539+00	systeem	stap_geopend	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 8, "periode_vanaf": "2026-02-01", "uiterlijk": "2026-02-28"}
91	2026-02-01 12:20:10.870488+00	systeem	stap_afgerond	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 8, "status": "done"}
93	2026-02-01 12:20:10.884315+00	Demo: I. Mulder, intern begeleider	antwoord	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 9, "vraag": "gesprek", "poging": 1, "fouten": []}
96	2026-03-01 12:20:10.903948+00	Demo: I. Mulder, intern begeleider	antwoord	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 10, "vraag": "inventarisatie", "poging": 1, "fouten": []}
98	2026-03-01 12:20:10.911341+00	systeem	stap_geopend	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 11, "periode_vanaf": "2026-03-01", "uiterlijk": "2026-03-31"}
100	2026-03-01 12:20:10.924875+00	systeem	stap_afgerond	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 11, "status": "done"}
101	2026-06-01 11:20:10.931076+00	systeem	stap_geopend	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 12, "periode_vanaf": "2026-06-01", "uiterlijk": "2026-06-30"}
103	2026-06-01 11:20:10.944244+00	systeem	stap_afgerond	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 12, "status": "done"}
104	2026-08-01 11:20:10.950271+00	systeem	stap_geopend	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 13, "periode_vanaf": "2026-08-01", "uiterlijk": "2026-12-31"}
107	2026-11-01 12:20:10.969799+00	Demo: I. Mulder, intern begeleider	antwoord	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 14, "vraag": "screening", "poging": 1, "fouten": []}
109	2026-11-01 12:20:10.983435+00	systeem	stap_afgerond	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 14, "status": "done"}
112	2026-12-01 12:20:11.005423+00	Demo: I. Mulder, intern begeleider	antwoord	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 16, "vraag": "aanmelding", "poging": 1, "fouten": []}
114	2026-12-01 12:20:11.014428+00	systeem	stap_afgerond	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 16, "status": "done"}
116	2026-12-01 12:20:11.02953+00	Demo: I. Mulder, intern begeleider	antwoord	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 16, "vraag": "oso", "poging": 1, "fouten": []}
118	2026-12-01 12:20:11.039241+00	systeem	stap_geopend	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 17, "periode_vanaf": "2026-12-01", "uiterlijk": "2027-02-28"}
121	2026-12-01 12:20:11.0585+00	systeem	stap_afgerond	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 17, "status": "done"}
122	2027-01-01 12:20:11.065189+00	systeem	stap_geopend	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 19, "periode_vanaf": "2027-01-01", "uiterlijk": "2027-01-31"}
124	2027-01-01 12:20:11.079508+00	systeem	stap_afgerond	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 19, "status": "done"}
127	2027-03-15 12:20:11.101303+00	Demo: I. Mulder, intern begeleider	antwoord	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 20, "vraag": "advies", "poging": 1, "fouten": []}
129	2027-03-15 12:20:11.109338+00	systeem	stap_overgeslagen	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 21, "reden": "niet van toepassing: niet als de leerling al bij PRO of VSO is aangemeld (stap 16)"}
132	2027-03-25 12:20:11.130511+00	Demo: I. Mulder, intern begeleider	antwoord	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	{"stap": 23, "vraag": "overdracht", "poging": 1, "fouten": []}
136	2025-09-01 11:20:11.14659+00	fixture	ingeschreven	08780e69-db68-4fc6-a621-1a1860e2e55d	{"code": "TGWY", "cohort": 2027, "groep": 7, "uitstroom_uit_groep": 8, "plan": "2025-2026.1"}
138	2025-09-01 11:20:11.158291+00	Demo: I. Mulder, intern begeleider	antwoord	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 1, "vraag": "vaststelling", "poging": 1, "fouten": []}
141	2025-10-01 11:20:11.176865+00	Demo: I. Mulder, intern begeleider	antwoord	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 2, "vraag": "overleg", "poging": 1, "fouten": []}
144	2025-11-01 12:20:11.19627+00	Demo: I. Mulder, intern begeleider	antwoord	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 3, "vraag": "open_dagen", "poging": 1, "fouten": []}
147	2026-01-01 12:20:11.209344+00	systeem	stap_afgerond	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 4, "status": "done"}
149	2026-01-01 12:20:11.222459+00	Demo: I. Mulder, intern begeleider	antwoord	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 5, "vraag": "vaststelling", "poging": 1, "fouten": []}
152	2026-02-01 12:20:11.242656+00	Demo: I. Mulder, intern begeleider	antwoord	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 6, "vraag": "gesprek", "poging": 1, "fouten": []}
154	2026-02-01 12:20:11.24992+00	systeem	stap_geopend	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 7, "periode_vanaf": "2026-02-01", "uiterlijk": "2026-02-28"}
156	2026-02-01 12:20:11.262413+00	systeem	stap_afgerond	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 7, "status": "done"}
158	2026-02-01 12:20:11.275922+00	Demo: I. Mulder, intern begeleider	antwoord	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 8, "vraag": "voorkeur", "poging": 1, "fouten": []}
160	2026-02-01 12:20:11.283496+00	systeem	stap_geopend	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 9, "periode_vanaf": "2026-02-01", "uiterlijk": "2026-03-31"}
162	2026-02-01 12:20:11.296329+00	systeem	stap_afgerond	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 9, "status": "done"}
163	2026-03-01 12:20:11.302358+00	systeem	stap_geopend	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 10, "periode_vanaf": "2026-03-01", "uiterlijk": "2026-03-31"}
165	2026-03-01 12:20:11.315662+00	systeem	stap_afgerond	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 10, "status": "done"}
167	2026-03-01 12:20:11.329424+00	Demo: I. Mulder, intern begeleider	antwoord	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 11, "vraag": "terugkoppeling", "poging": 1, "fouten": []}
164	2026-03-01 12:20:11.311848+00	Demo: I. Mulder, intern begeleider	antwoord	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 10, "vraag": "inventarisatie", "poging": 1, "fouten": []}
166	2026-03-01 12:20:11.319495+00	systeem	stap_geopend	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 11, "periode_vanaf": "2026-03-01", "uiterlijk": "2026-03-31"}
168	2026-03-01 12:20:11.333421+00	systeem	stap_afgerond	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 11, "status": "done"}
169	2026-06-01 11:20:11.339787+00	systeem	stap_geopend	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 12, "periode_vanaf": "2026-06-01", "uiterlijk": "2026-06-30"}
171	2026-06-01 11:20:11.353997+00	systeem	stap_afgerond	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 12, "status": "done"}
172	2026-08-01 11:20:11.36061+00	systeem	stap_geopend	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 13, "periode_vanaf": "2026-08-01", "uiterlijk": "2026-12-31"}
175	2026-11-01 12:20:11.38287+00	Demo: I. Mulder, intern begeleider	antwoord	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 14, "vraag": "screening", "poging": 1, "fouten": []}
177	2026-11-01 12:20:11.403961+00	systeem	stap_afgerond	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 14, "status": "done"}
178	2026-12-01 12:20:11.415058+00	systeem	stap_geopend	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 15, "periode_vanaf": "2026-12-01", "uiterlijk": "2027-05-31"}
180	2026-12-01 12:20:11.429297+00	systeem	stap_overgeslagen	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 16, "reden": "niet van toepassing: alleen bij de route PRO of VSO"}
182	2026-12-01 12:20:11.443254+00	systeem	stap_overgeslagen	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 18, "reden": "niet van toepassing: alleen bij de route PRO of VSO"}
183	2027-01-01 12:20:11.455133+00	systeem	stap_geopend	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 19, "periode_vanaf": "2027-01-01", "uiterlijk": "2027-01-31"}
185	2027-01-01 12:20:11.477475+00	systeem	stap_afgerond	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 19, "status": "done"}
186	2027-03-15 12:20:11.485078+00	systeem	stap_geopend	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 20, "periode_vanaf": "2027-03-15", "uiterlijk": "2027-03-24"}
187	2027-04-15 11:20:11.492394+00	systeem	vraag_gesteld	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 20, "vraag": "advies", "sleutel": "stap-20-advies-1", "uiterlijk": "2027-03-24"}
189	2025-09-01 11:20:11.500572+00	systeem	stap_geopend	c7cc1071-0aee-4848-8bef-cc1966a3eedc	{"stap": 1, "periode_vanaf": "2025-09-01", "uiterlijk": "2025-10-31"}
191	2025-09-01 11:20:11.514973+00	systeem	stap_afgerond	c7cc1071-0aee-4848-8bef-cc1966a3eedc	{"stap": 1, "status": "done"}
192	2025-10-01 11:20:11.520487+00	systeem	stap_geopend	c7cc1071-0aee-4848-8bef-cc1966a3eedc	{"stap": 2, "periode_vanaf": "2025-10-01", "uiterlijk": "2025-10-31"}
194	2025-10-01 11:20:11.534186+00	systeem	stap_afgerond	c7cc1071-0aee-4848-8bef-cc1966a3eedc	{"stap": 2, "status": "done"}
195	2025-11-01 12:20:11.540365+00	systeem	stap_geopend	c7cc1071-0aee-4848-8bef-cc1966a3eedc	{"stap": 3, "periode_vanaf": "2025-11-01", "uiterlijk": "2025-11-30"}
197	2025-11-01 12:20:11.553573+00	systeem	stap_afgerond	c7cc1071-0aee-4848-8bef-cc1966a3eedc	{"stap": 3, "status": "done"}
198	2026-01-01 12:20:11.559992+00	systeem	stap_geopend	c7cc1071-0aee-4848-8bef-cc1966a3eedc	{"stap": 4, "periode_vanaf": "2026-01-01", "uiterlijk": "2026-01-31"}
200	2026-01-01 12:20:11.568076+00	systeem	stap_geopend	c7cc1071-0aee-4848-8bef-cc1966a3eedc	{"stap": 5, "periode_vanaf": "2026-01-01", "uiterlijk": "2026-02-28"}
202	2026-01-01 12:20:11.5809+00	systeem	stap_afgerond	c7cc1071-0aee-4848-8bef-cc1966a3eedc	{"stap": 5, "status": "done"}
170	2026-06-01 11:20:11.349933+00	Demo: I. Mulder, intern begeleider	antwoord	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 12, "vraag": "plan", "poging": 1, "fouten": []}
173	2026-08-01 11:20:11.365203+00	systeem	stap_afgerond	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 13, "status": "done"}
174	2026-11-01 12:20:11.372157+00	systeem	stap_geopend	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 14, "periode_vanaf": "2026-11-01", "uiterlijk": "2026-11-30"}
176	2026-11-01 12:20:11.397047+00	Demo: I. Mulder, intern begeleider	antwoord	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 14, "vraag": "evaluatie", "poging": 1, "fouten": []}
179	2026-12-01 12:20:11.422356+00	systeem	stap_afgerond	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 15, "status": "done"}
181	2026-12-01 12:20:11.436176+00	systeem	stap_overgeslagen	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 17, "reden": "niet van toepassing: alleen bij de route PRO of VSO"}
184	2027-01-01 12:20:11.472464+00	Demo: I. Mulder, intern begeleider	antwoord	08780e69-db68-4fc6-a621-1a1860e2e55d	{"stap": 19, "vraag": "advies", "poging": 1, "fouten": []}
188	2025-09-01 11:20:11.497009+00	fixture	ingeschreven	c7cc1071-0aee-4848-8bef-cc1966a3eedc	{"code": "X2HM", "cohort": 2027, "groep": 7, "uitstroom_uit_groep": 8, "plan": "2025-2026.1"}
190	2025-09-01 11:20:11.511469+00	Demo: I. Mulder, intern begeleider	antwoord	c7cc1071-0aee-4848-8bef-cc1966a3eedc	{"stap": 1, "vraag": "vaststelling", "poging": 1, "fouten": []}
193	2025-10-01 11:20:11.530065+00	Demo: I. Mulder, intern begeleider	antwoord	c7cc1071-0aee-4848-8bef-cc1966a3eedc	{"stap": 2, "vraag": "overleg", "poging": 1, "fouten": []}
196	2025-11-01 12:20:11.549871+00	Demo: I. Mulder, intern begeleider	antwoord	c7cc1071-0aee-4848-8bef-cc1966a3eedc	{"stap": 3, "vraag": "open_dagen", "poging": 1, "fouten": []}
199	2026-01-01 12:20:11.56411+00	systeem	stap_afgerond	c7cc1071-0aee-4848-8bef-cc1966a3eedc	{"stap": 4, "status": "done"}
201	2026-01-01 12:20:11.577375+00	Demo: I. Mulder, intern begeleider	antwoord	c7cc1071-0aee-4848-8bef-cc1966a3eedc	{"stap": 5, "vraag": "vaststelling", "poging": 1, "fouten": []}
203	2026-01-01 12:20:11.585454+00	systeem	traject_gestopt	c7cc1071-0aee-4848-8bef-cc1966a3eedc	{"reden": "het traject stopt als de leerling het stappenplan niet volgt"}
\.


--
-- Data for Name: clockoverride; Type: TABLE DATA; Schema: public; Owner: -
--

COPY clockoverride (id, today) FROM stdin;
\.


--
-- Data for Name: contact; Type: TABLE DATA; Schema: public; Owner: -
--

COPY contact (id, school_id, role, name, email) FROM stdin;
\.


--
-- Data for Name: outboxfailure; Type: TABLE DATA; Schema: public; Owner: -
--

COPY outboxfailure (id, message_id, attempt, at, failure, error) FROM stdin;
\.


--
-- Data for Name: outboxmessage; Type: TABLE DATA; Schema: public; Owner: -
--

COPY outboxmessage (id, dedup_key, trajectory_id, step, recipient, recipient_name, kind, topic, subject, text_body, html_body, ics, status, attempts, next_attempt_at, last_attempt_at, last_error, created_at, sent_at) FROM stdin;
\.


--
-- Data for Name: pupil; Type: TABLE DATA; Schema: public; Owner: -
--

COPY pupil (id, first_name, last_name, birth_date, po_school_id, groep, created_at) FROM stdin;
615f6799-3bb8-4782-a739-c1412ed22be5	Anna	Aalders	2014-05-01	9c135d2a-484a-40b9-a5ae-3e8710028c73	7	2025-09-01 11:20:10.210807+00
db1c4abd-01bf-477e-aae1-48f251d09575	Bram	Bakker	2014-05-01	9c135d2a-484a-40b9-a5ae-3e8710028c73	7	2025-09-01 11:20:10.738556+00
e2b52154-0d4f-4b45-88ef-594f45cacd24	Cato	Claassen	2014-05-01	9c135d2a-484a-40b9-a5ae-3e8710028c73	7	2025-09-01 11:20:11.145013+00
a0ecc01c-bf74-47c0-a44d-38a8db6b6273	Dirk	Dekker	2014-05-01	9c135d2a-484a-40b9-a5ae-3e8710028c73	7	2025-09-01 11:20:11.495254+00
\.


--
-- Data for Name: school; Type: TABLE DATA; Schema: public; Owner: -
--

COPY school (id, brin, name, kind, created_at) FROM stdin;
805d0b51-fe4d-491c-af53-3178a493066d	\N	Dr. Nassau College Penta	VO	2026-11-30 12:20:10.190042+00
52098122-99f3-40a9-aa26-5d56d15a5369	\N	Dr. Nassau College Quintus	VO	2026-11-30 12:20:10.192446+00
b2be0ed3-e8fb-413f-b981-261d2f4094e1	\N	Dr. Nassau College Gieten	VO	2026-11-30 12:20:10.193353+00
2373b28c-9ddc-4266-8b86-cfaca7e7ccb9	\N	Dr. Nassau College Norg	VO	2026-11-30 12:20:10.194186+00
b4dfd1b1-bd52-4763-bee6-49d2c54dad9e	\N	Dr. Nassau College ISK	VO	2026-11-30 12:20:10.194982+00
f13cc210-04ee-46af-aa30-1efa4bc7e1b6	\N	CS Vincent van Gogh Lariks	VO	2026-11-30 12:20:10.195814+00
f796da49-5587-49b1-9854-1b6edcafe287	\N	CS Vincent van Gogh Salland	VO	2026-11-30 12:20:10.196538+00
08d4e563-31a6-498d-8bc7-cae666b96187	\N	Volta Beilen	VO	2026-11-30 12:20:10.197257+00
9f4043e1-a1be-4df5-b2e7-cecf7edc1adf	\N	Gomarus College	VO	2026-11-30 12:20:10.197933+00
85e8144e-726e-47cd-8bbd-95474426b90b	\N	Terra Assen	VO	2026-11-30 12:20:10.19852+00
e6f30837-d559-4a96-abbe-6a279c960c64	\N	Terra Eelde	VO	2026-11-30 12:20:10.199119+00
0446f1f6-a2c2-40e3-92b9-5af0e4edf84f	\N	PrO Assen	PRO	2026-11-30 12:20:10.199672+00
d9ae638d-7075-466e-b8ca-211def73f0f4	\N	VSO De Atlas	VSO	2026-11-30 12:20:10.200225+00
2e09df41-e8b2-4df5-9e1b-880044f3d156	\N	VSO W.A. van Liefland	VSO	2026-11-30 12:20:10.200747+00
9c135d2a-484a-40b9-a5ae-3e8710028c73	12AB	OBS De Klimop	PO	2026-11-30 12:20:10.200944+00
\.


--
-- Data for Name: steprecord; Type: TABLE DATA; Schema: public; Owner: -
--

COPY steprecord (id, trajectory_id, step, status, opened_on, due_by, opened_at, closed_at, answered_by, answered_at, answer, note) FROM stdin;
761d3da3-655a-46e3-98ed-762d82d3b6b5	739ceed6-b987-4ece-a98a-bd834e54285b	11	done	2026-03-01	2026-03-31	2026-03-01 12:20:10.433137+00	2026-03-01 12:20:10.448245+00	Demo: I. Mulder, intern begeleider	2026-03-01 12:20:10.440815+00	{"terugkoppeling": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2026-03-01", "aanwezig": "Stap 11: besproken en vastgelegd.", "afspraken": "Stap 11: besproken en vastgelegd."}}	\N
aeb2b666-d248-4479-b3bf-e711e96287d4	739ceed6-b987-4ece-a98a-bd834e54285b	1	done	2025-09-01	2025-10-31	2025-09-01 11:20:10.226546+00	2025-09-01 11:20:10.251418+00	Demo: I. Mulder, intern begeleider	2025-09-01 11:20:10.24145+00	{"vaststelling": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "uitgevoerd_op": "2025-09-01", "toelichting": "Stap 1: besproken en vastgelegd."}}	\N
e1c7066f-d7a0-4d93-b75c-2a5b52a07e8f	739ceed6-b987-4ece-a98a-bd834e54285b	2	done	2025-10-01	2025-10-31	2025-10-01 11:20:10.258788+00	2025-10-01 11:20:10.275821+00	Demo: I. Mulder, intern begeleider	2025-10-01 11:20:10.267004+00	{"overleg": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "vo_school": "Dr. Nassau College Penta", "in_aanmerking": "ja", "toelichting": "Stap 2: besproken en vastgelegd."}}	\N
0b689d43-767a-4111-9f93-77745ec43fd5	739ceed6-b987-4ece-a98a-bd834e54285b	3	done	2025-11-01	2025-11-30	2025-11-01 12:20:10.282577+00	2025-11-01 12:20:10.297727+00	Demo: I. Mulder, intern begeleider	2025-11-01 12:20:10.290348+00	{"open_dagen": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "uitgevoerd_op": "2025-11-01", "toelichting": "Stap 3: besproken en vastgelegd."}}	\N
4f2931e5-a266-40de-acc6-5eee37eba4ce	739ceed6-b987-4ece-a98a-bd834e54285b	4	done	2026-01-01	2026-01-31	2026-01-01 12:20:10.304795+00	2026-01-01 12:20:10.309572+00	\N	\N	null	\N
fa94fac6-c6d3-498d-9b57-601966fc6e81	739ceed6-b987-4ece-a98a-bd834e54285b	12	done	2026-06-01	2026-06-30	2026-06-01 11:20:10.454728+00	2026-06-01 11:20:10.470244+00	Demo: I. Mulder, intern begeleider	2026-06-01 11:20:10.462677+00	{"plan": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "doelen": "Stap 12: besproken en vastgelegd.", "acties": "Stap 12: besproken en vastgelegd.", "evaluatie_op": "2027-03-28"}}	\N
5389053c-10cf-4877-81c7-8a34090817ca	739ceed6-b987-4ece-a98a-bd834e54285b	5	done	2026-01-01	2026-02-28	2026-01-01 12:20:10.313729+00	2026-01-01 12:20:10.328437+00	Demo: I. Mulder, intern begeleider	2026-01-01 12:20:10.320995+00	{"vaststelling": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "in_stappenplan": "ja", "toelichting": "Stap 5: besproken en vastgelegd."}}	\N
2df8fdbf-0c7b-413f-b134-0d7cfbb196ae	739ceed6-b987-4ece-a98a-bd834e54285b	6	done	2026-02-01	2026-02-28	2026-02-01 12:20:10.335845+00	2026-02-01 12:20:10.351239+00	Demo: I. Mulder, intern begeleider	2026-02-01 12:20:10.343648+00	{"gesprek": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2026-02-01", "aanwezig": "Stap 6: besproken en vastgelegd.", "afspraken": "Stap 6: besproken en vastgelegd."}}	\N
08717739-8966-4f6b-a3ac-9af11fe41fae	739ceed6-b987-4ece-a98a-bd834e54285b	13	done	2026-08-01	2026-12-31	2026-08-01 11:20:10.477002+00	2026-08-01 11:20:10.483592+00	\N	\N	null	\N
91da02e0-6b68-44e7-a07b-5cbcb70adac3	739ceed6-b987-4ece-a98a-bd834e54285b	7	done	2026-02-01	2026-02-28	2026-02-01 12:20:10.35521+00	2026-02-01 12:20:10.371583+00	Demo: I. Mulder, intern begeleider	2026-02-01 12:20:10.3638+00	{"gesprek": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2026-02-01", "aanwezig": "Stap 7: besproken en vastgelegd.", "afspraken": "Stap 7: besproken en vastgelegd."}}	\N
ffb3ebe0-14b0-42b9-9b19-eb6d534fc280	739ceed6-b987-4ece-a98a-bd834e54285b	8	done	2026-02-01	2026-02-28	2026-02-01 12:20:10.375616+00	2026-02-01 12:20:10.390657+00	Demo: I. Mulder, intern begeleider	2026-02-01 12:20:10.383287+00	{"voorkeur": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "vo_school": "Dr. Nassau College Penta", "toelichting": "Stap 8: besproken en vastgelegd."}}	\N
5d83977c-3f6e-4c54-ace9-4f64a3eaf1e0	739ceed6-b987-4ece-a98a-bd834e54285b	19	done	2027-01-01	2027-01-31	2027-01-01 12:20:10.549764+00	2027-01-01 12:20:10.565133+00	Demo: I. Mulder, intern begeleider	2027-01-01 12:20:10.557692+00	{"advies": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "advies": "praktijkonderwijs", "toelichting": "Stap 19: besproken en vastgelegd."}}	\N
d183b795-4c3b-4a84-bef9-e5e99100331c	739ceed6-b987-4ece-a98a-bd834e54285b	9	done	2026-02-01	2026-03-31	2026-02-01 12:20:10.394599+00	2026-02-01 12:20:10.408362+00	Demo: I. Mulder, intern begeleider	2026-02-01 12:20:10.401783+00	{"gesprek": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2026-02-01", "aanwezig": "Stap 9: besproken en vastgelegd.", "afspraken": "Stap 9: besproken en vastgelegd."}}	\N
cdbcab53-0713-48a4-90ef-fa81421531b7	739ceed6-b987-4ece-a98a-bd834e54285b	10	done	2026-03-01	2026-03-31	2026-03-01 12:20:10.414305+00	2026-03-01 12:20:10.429047+00	Demo: I. Mulder, intern begeleider	2026-03-01 12:20:10.421833+00	{"inventarisatie": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "uitgevoerd_op": "2026-03-01", "toelichting": "Stap 10: besproken en vastgelegd."}}	\N
b968c63f-b8c3-45e8-aea7-701e673b00bf	739ceed6-b987-4ece-a98a-bd834e54285b	23	done	2027-03-25	2027-06-30	2027-03-25 12:20:10.700252+00	2027-03-25 12:20:10.715575+00	Demo: I. Mulder, intern begeleider	2027-03-25 12:20:10.708202+00	{"overdracht": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2027-03-25", "aanwezig": "Stap 23: besproken en vastgelegd.", "afspraken": "Stap 23: besproken en vastgelegd."}}	\N
9866f2b1-883b-4263-8d57-0a2f4b6c6614	739ceed6-b987-4ece-a98a-bd834e54285b	14	done	2026-11-01	2026-11-30	2026-11-01 12:20:10.490272+00	2026-11-01 12:20:10.518203+00	Demo: I. Mulder, intern begeleider	2026-11-01 12:20:10.508948+00	{"screening": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "dle_begrijpend_lezen": 45, "dle_technisch_lezen": 45, "dle_spellen": 45, "dle_rekenen": 45, "iq": 0, "sociaal_emotioneel": false}, "evaluatie": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "route": "regulier", "vervolgplan_nodig": true, "evaluatie": "Stap 14: besproken en vastgelegd."}}	\N
2f1bb88a-3104-4144-90b4-d5359c0a1808	739ceed6-b987-4ece-a98a-bd834e54285b	15	done	2026-12-01	2027-05-31	2026-12-01 12:20:10.524723+00	2026-12-01 12:20:10.529701+00	\N	\N	null	\N
5c32b70a-c79b-4867-9aa9-0fe905d161fd	739ceed6-b987-4ece-a98a-bd834e54285b	16	skipped	\N	\N	\N	2026-12-01 12:20:10.534109+00	\N	\N	null	niet van toepassing: alleen bij de route PRO of VSO
c346d137-70c1-4cfb-bccd-d7cba88843d6	739ceed6-b987-4ece-a98a-bd834e54285b	17	skipped	\N	\N	\N	2026-12-01 12:20:10.538658+00	\N	\N	null	niet van toepassing: alleen bij de route PRO of VSO
7b06a49f-4d70-45ed-b630-7a69f69e30cb	739ceed6-b987-4ece-a98a-bd834e54285b	18	skipped	\N	\N	\N	2026-12-01 12:20:10.543038+00	\N	\N	null	niet van toepassing: alleen bij de route PRO of VSO
4d2e5ab4-1ba8-47fb-b421-059f787ecba0	739ceed6-b987-4ece-a98a-bd834e54285b	20	done	2027-03-15	2027-03-24	2027-03-15 12:20:10.630271+00	2027-03-15 12:20:10.647021+00	Demo: I. Mulder, intern begeleider	2027-03-15 12:20:10.639199+00	{"advies": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "advies": "praktijkonderwijs", "toelichting": "Stap 20: besproken en vastgelegd."}}	\N
18903e51-3a0f-48f2-a3d6-5eb276191189	739ceed6-b987-4ece-a98a-bd834e54285b	22	done	2027-03-25	2027-05-12	2027-03-25 12:20:10.68116+00	2027-03-25 12:20:10.696493+00	Demo: I. Mulder, intern begeleider	2027-03-25 12:20:10.68926+00	{"overleg": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2027-03-25", "afspraken": "Stap 22: besproken en vastgelegd.", "uitkomst": "regulier verder"}}	\N
844ddfc9-43d4-4b03-8ff7-b023dd738650	739ceed6-b987-4ece-a98a-bd834e54285b	21	done	2027-03-25	2027-03-31	2027-03-25 12:20:10.654051+00	2027-03-25 12:20:10.676989+00	Demo: I. Mulder, intern begeleider	2027-03-25 12:20:10.662121+00	{"aanmelding": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "vo_school": "Dr. Nassau College Penta", "aangemeld_op": "2027-03-25", "formulier_volledig_op": "2027-03-25", "nader_overleg_nodig": true}, "oso": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "onderwijskundig_rapport": true, "plaatsingswijzer": true, "ondersteuningsbehoefte_ouders": true, "ondersteuningsbehoefte_school": true, "onderzoeksverslagen": true, "handelingsplannen": true, "klaargezet_op": "2027-03-25"}}	\N
cc23690c-6321-4b12-bb26-f1b2d29d820f	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	1	done	2025-09-01	2025-10-31	2025-09-01 11:20:10.743158+00	2025-09-01 11:20:10.754473+00	Demo: I. Mulder, intern begeleider	2025-09-01 11:20:10.749273+00	{"vaststelling": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "uitgevoerd_op": "2025-09-01", "toelichting": "Stap 1: besproken en vastgelegd."}}	\N
6ee537cd-48e9-4708-bef1-cd72cbc91880	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	2	done	2025-10-01	2025-10-31	2025-10-01 11:20:10.75985+00	2025-10-01 11:20:10.77352+00	Demo: I. Mulder, intern begeleider	2025-10-01 11:20:10.766699+00	{"overleg": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "vo_school": "Dr. Nassau College Penta", "in_aanmerking": "ja", "toelichting": "Stap 2: besproken en vastgelegd."}}	\N
62e444e5-ecbf-41e7-8b25-61e44b488c0d	08780e69-db68-4fc6-a621-1a1860e2e55d	7	done	2026-02-01	2026-02-28	2026-02-01 12:20:11.24972+00	2026-02-01 12:20:11.262395+00	Demo: I. Mulder, intern begeleider	2026-02-01 12:20:11.256451+00	{"gesprek": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2026-02-01", "aanwezig": "Stap 7: besproken en vastgelegd.", "afspraken": "Stap 7: besproken en vastgelegd."}}	\N
28786042-77c5-436d-8fdd-4040ec0e53ca	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	3	done	2025-11-01	2025-11-30	2025-11-01 12:20:10.779404+00	2025-11-01 12:20:10.791804+00	Demo: I. Mulder, intern begeleider	2025-11-01 12:20:10.785733+00	{"open_dagen": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "uitgevoerd_op": "2025-11-01", "toelichting": "Stap 3: besproken en vastgelegd."}}	\N
9c735ec3-c9d4-4ef5-9b69-26f060419ff3	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	4	done	2026-01-01	2026-01-31	2026-01-01 12:20:10.797114+00	2026-01-01 12:20:10.80089+00	\N	\N	null	\N
327b9a86-b064-47c1-8da8-06b2bf228627	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	5	done	2026-01-01	2026-02-28	2026-01-01 12:20:10.807793+00	2026-01-01 12:20:10.819972+00	Demo: I. Mulder, intern begeleider	2026-01-01 12:20:10.814098+00	{"vaststelling": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "in_stappenplan": "ja", "toelichting": "Stap 5: besproken en vastgelegd."}}	\N
0d73235a-d825-4d35-8db2-4b3419d84c69	08780e69-db68-4fc6-a621-1a1860e2e55d	17	skipped	\N	\N	\N	2026-12-01 12:20:11.435936+00	\N	\N	null	niet van toepassing: alleen bij de route PRO of VSO
a42b6a69-78f4-46f0-9981-137ef569e5dc	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	6	done	2026-02-01	2026-02-28	2026-02-01 12:20:10.825369+00	2026-02-01 12:20:10.837946+00	Demo: I. Mulder, intern begeleider	2026-02-01 12:20:10.832004+00	{"gesprek": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2026-02-01", "aanwezig": "Stap 6: besproken en vastgelegd.", "afspraken": "Stap 6: besproken en vastgelegd."}}	\N
acbcd2c3-c57d-4d44-a302-490ef4935939	08780e69-db68-4fc6-a621-1a1860e2e55d	9	done	2026-02-01	2026-03-31	2026-02-01 12:20:11.283302+00	2026-02-01 12:20:11.296309+00	Demo: I. Mulder, intern begeleider	2026-02-01 12:20:11.289913+00	{"gesprek": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2026-02-01", "aanwezig": "Stap 9: besproken en vastgelegd.", "afspraken": "Stap 9: besproken en vastgelegd."}}	\N
18e2d3af-4837-4e3f-b8d4-a15922d4bd19	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	8	done	2026-02-01	2026-02-28	2026-02-01 12:20:10.857359+00	2026-02-01 12:20:10.870467+00	Demo: I. Mulder, intern begeleider	2026-02-01 12:20:10.863901+00	{"voorkeur": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "vo_school": "Dr. Nassau College Penta", "toelichting": "Stap 8: besproken en vastgelegd."}}	\N
baa15e94-fa91-4fda-820d-49207f3c0c20	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	11	done	2026-03-01	2026-03-31	2026-03-01 12:20:10.911145+00	2026-03-01 12:20:10.924856+00	Demo: I. Mulder, intern begeleider	2026-03-01 12:20:10.91802+00	{"terugkoppeling": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2026-03-01", "aanwezig": "Stap 11: besproken en vastgelegd.", "afspraken": "Stap 11: besproken en vastgelegd."}}	\N
c560821a-32a6-43ee-a336-782384adbc84	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	12	done	2026-06-01	2026-06-30	2026-06-01 11:20:10.93086+00	2026-06-01 11:20:10.944224+00	Demo: I. Mulder, intern begeleider	2026-06-01 11:20:10.93783+00	{"plan": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "doelen": "Stap 12: besproken en vastgelegd.", "acties": "Stap 12: besproken en vastgelegd.", "evaluatie_op": "2027-03-28"}}	\N
ec2454f1-2246-462b-abe2-14c6e68193c6	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	13	done	2026-08-01	2026-12-31	2026-08-01 11:20:10.950077+00	2026-08-01 11:20:10.954105+00	\N	\N	null	\N
47c14028-be59-47cd-a80a-a5c2bea6b7ba	08780e69-db68-4fc6-a621-1a1860e2e55d	10	done	2026-03-01	2026-03-31	2026-03-01 12:20:11.302148+00	2026-03-01 12:20:11.31564+00	Demo: I. Mulder, intern begeleider	2026-03-01 12:20:11.308964+00	{"inventarisatie": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "uitgevoerd_op": "2026-03-01", "toelichting": "Stap 10: besproken en vastgelegd."}}	\N
29c0bbb5-2523-4b82-b79c-40afb28bc54a	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	17	done	2026-12-01	2027-02-28	2026-12-01 12:20:11.038243+00	2026-12-01 12:20:11.058476+00	Demo: I. Mulder, intern begeleider	2026-12-01 12:20:11.046313+00	{"onderzoek": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "advies": "positief", "toelichting": "Stap 17: besproken en vastgelegd."}}	\N
892c4f73-6140-49b4-b64c-bc0b4c253493	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	19	done	2027-01-01	2027-01-31	2027-01-01 12:20:11.064986+00	2027-01-01 12:20:11.079487+00	Demo: I. Mulder, intern begeleider	2027-01-01 12:20:11.072264+00	{"advies": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "advies": "praktijkonderwijs", "toelichting": "Stap 19: besproken en vastgelegd."}}	\N
2779f3cd-3a10-459b-9d05-103f865fe38a	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	21	skipped	\N	\N	\N	2027-03-15 12:20:11.109195+00	\N	\N	null	niet van toepassing: niet als de leerling al bij PRO of VSO is aangemeld (stap 16)
c15ba32a-0320-4726-9018-c1564f3357f8	08780e69-db68-4fc6-a621-1a1860e2e55d	14	done	2026-11-01	2026-11-30	2026-11-01 12:20:11.371924+00	2026-11-01 12:20:11.403914+00	Demo: I. Mulder, intern begeleider	2026-11-01 12:20:11.390759+00	{"screening": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "dle_begrijpend_lezen": 45, "dle_technisch_lezen": 45, "dle_spellen": 45, "dle_rekenen": 45, "iq": 0, "sociaal_emotioneel": false}, "evaluatie": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "route": "regulier", "vervolgplan_nodig": true, "evaluatie": "Stap 14: besproken en vastgelegd."}}	\N
37e9dd50-775b-4b17-8ee5-7e31069bcc84	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	7	done	2026-02-01	2026-02-28	2026-02-01 12:20:10.841295+00	2026-02-01 12:20:10.853778+00	Demo: I. Mulder, intern begeleider	2026-02-01 12:20:10.847724+00	{"gesprek": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2026-02-01", "aanwezig": "Stap 7: besproken en vastgelegd.", "afspraken": "Stap 7: besproken en vastgelegd."}}	\N
708fb347-dee8-490d-92ab-7926ef805223	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	9	done	2026-02-01	2026-03-31	2026-02-01 12:20:10.874039+00	2026-02-01 12:20:10.88808+00	Demo: I. Mulder, intern begeleider	2026-02-01 12:20:10.881109+00	{"gesprek": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2026-02-01", "aanwezig": "Stap 9: besproken en vastgelegd.", "afspraken": "Stap 9: besproken en vastgelegd."}}	\N
e228c6e1-d6a6-4881-bc66-b4e976642d79	08780e69-db68-4fc6-a621-1a1860e2e55d	8	done	2026-02-01	2026-02-28	2026-02-01 12:20:11.266166+00	2026-02-01 12:20:11.279775+00	Demo: I. Mulder, intern begeleider	2026-02-01 12:20:11.273098+00	{"voorkeur": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "vo_school": "Dr. Nassau College Penta", "toelichting": "Stap 8: besproken en vastgelegd."}}	\N
98e579dc-1647-4207-a1c6-96d0f63e721e	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	10	done	2026-03-01	2026-03-31	2026-03-01 12:20:10.894073+00	2026-03-01 12:20:10.907527+00	Demo: I. Mulder, intern begeleider	2026-03-01 12:20:10.901083+00	{"inventarisatie": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "uitgevoerd_op": "2026-03-01", "toelichting": "Stap 10: besproken en vastgelegd."}}	\N
4a19aa91-a924-4312-ad5e-ff9df1db068d	08780e69-db68-4fc6-a621-1a1860e2e55d	2	done	2025-10-01	2025-10-31	2025-10-01 11:20:11.167429+00	2025-10-01 11:20:11.180719+00	Demo: I. Mulder, intern begeleider	2025-10-01 11:20:11.174104+00	{"overleg": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "vo_school": "Dr. Nassau College Penta", "in_aanmerking": "ja", "toelichting": "Stap 2: besproken en vastgelegd."}}	\N
4307596d-c91c-4351-9511-dadaec83b409	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	14	done	2026-11-01	2026-11-30	2026-11-01 12:20:10.959695+00	2026-11-01 12:20:10.983415+00	Demo: I. Mulder, intern begeleider	2026-11-01 12:20:10.976322+00	{"screening": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "dle_begrijpend_lezen": 45, "dle_technisch_lezen": 45, "dle_spellen": 45, "dle_rekenen": 45, "iq": 0, "sociaal_emotioneel": false}, "evaluatie": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "route": "pro", "vervolgplan_nodig": false, "evaluatie": "Stap 14: besproken en vastgelegd."}}	\N
cebb1a20-08b1-4c02-8d4f-bec164a805eb	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	15	skipped	\N	\N	\N	2026-11-01 12:20:10.987117+00	\N	\N	null	niet van toepassing: alleen als bij stap 14 een tweede deel van het plan van aanpak nodig is
01bbc874-36f2-4255-98b3-b1a098fca878	08780e69-db68-4fc6-a621-1a1860e2e55d	3	done	2025-11-01	2025-11-30	2025-11-01 12:20:11.186223+00	2025-11-01 12:20:11.199497+00	Demo: I. Mulder, intern begeleider	2025-11-01 12:20:11.193664+00	{"open_dagen": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "uitgevoerd_op": "2025-11-01", "toelichting": "Stap 3: besproken en vastgelegd."}}	\N
a0557d7b-7c9c-4ff0-9055-eb9968b2251a	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	16	done	2026-12-01	2026-12-31	2026-12-01 12:20:10.994869+00	2026-12-01 12:20:11.014406+00	Demo: I. Mulder, intern begeleider	2026-12-01 12:20:11.002418+00	{"aanmelding": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "school": "PrO Assen", "aangemeld_op": "2026-12-01", "formulier_volledig_op": "2026-12-01", "tussengroep": false}, "oso": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "onderwijskundig_rapport": true, "plaatsingswijzer": true, "ondersteuningsbehoefte_ouders": true, "ondersteuningsbehoefte_school": true, "onderzoeksverslagen": true, "handelingsplannen": true, "klaargezet_op": "2026-12-01"}}	\N
5fe7bb05-a113-4b87-a5d9-41ba7b684317	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	18	open	2027-01-01	2027-05-12	2027-01-01 12:20:11.083425+00	\N	\N	\N	null	\N
805e10ff-56ef-4b5c-96a4-7f95a595bb71	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	20	done	2027-03-15	2027-03-24	2027-03-15 12:20:11.090908+00	2027-03-15 12:20:11.105324+00	Demo: I. Mulder, intern begeleider	2027-03-15 12:20:11.098217+00	{"advies": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "advies": "praktijkonderwijs", "toelichting": "Stap 20: besproken en vastgelegd."}}	\N
6cd2d9b7-0f18-4d45-a05e-6e5c5dc6d59d	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	22	skipped	\N	\N	\N	2027-03-15 12:20:11.113303+00	\N	\N	null	niet van toepassing: alleen als bij de aanmelding nader overleg nodig is
aedf9458-a246-407f-9767-33a052195262	08780e69-db68-4fc6-a621-1a1860e2e55d	4	done	2026-01-01	2026-01-31	2026-01-01 12:20:11.204648+00	2026-01-01 12:20:11.209311+00	\N	\N	null	\N
92224166-7ce1-4fd8-8c4c-643959b9003d	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	23	done	2027-03-25	2027-06-30	2027-03-25 12:20:11.120059+00	2027-03-25 12:20:11.134748+00	Demo: I. Mulder, intern begeleider	2027-03-25 12:20:11.127422+00	{"overdracht": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2027-03-25", "aanwezig": "Stap 23: besproken en vastgelegd.", "afspraken": "Stap 23: besproken en vastgelegd."}}	\N
1dca0eff-8245-4af5-9864-b6d4f0fda724	08780e69-db68-4fc6-a621-1a1860e2e55d	1	done	2025-09-01	2025-10-31	2025-09-01 11:20:11.149412+00	2025-09-01 11:20:11.161884+00	Demo: I. Mulder, intern begeleider	2025-09-01 11:20:11.155499+00	{"vaststelling": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "uitgevoerd_op": "2025-09-01", "toelichting": "Stap 1: besproken en vastgelegd."}}	\N
17a5ac73-46f5-4c5a-8711-77a160495b68	08780e69-db68-4fc6-a621-1a1860e2e55d	5	done	2026-01-01	2026-02-28	2026-01-01 12:20:11.213228+00	2026-01-01 12:20:11.226042+00	Demo: I. Mulder, intern begeleider	2026-01-01 12:20:11.219812+00	{"vaststelling": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "in_stappenplan": "ja", "toelichting": "Stap 5: besproken en vastgelegd."}}	\N
09d3f9a3-e396-42b3-822b-6c2642a625b2	08780e69-db68-4fc6-a621-1a1860e2e55d	11	done	2026-03-01	2026-03-31	2026-03-01 12:20:11.319286+00	2026-03-01 12:20:11.333398+00	Demo: I. Mulder, intern begeleider	2026-03-01 12:20:11.326384+00	{"terugkoppeling": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2026-03-01", "aanwezig": "Stap 11: besproken en vastgelegd.", "afspraken": "Stap 11: besproken en vastgelegd."}}	\N
f196c472-dc99-481a-a906-99826cdfa2b2	08780e69-db68-4fc6-a621-1a1860e2e55d	6	done	2026-02-01	2026-02-28	2026-02-01 12:20:11.231853+00	2026-02-01 12:20:11.246201+00	Demo: I. Mulder, intern begeleider	2026-02-01 12:20:11.239251+00	{"gesprek": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "gesprek_op": "2026-02-01", "aanwezig": "Stap 6: besproken en vastgelegd.", "afspraken": "Stap 6: besproken en vastgelegd."}}	\N
cdc8a12a-c05e-4913-97f5-21394ed0a9a8	08780e69-db68-4fc6-a621-1a1860e2e55d	13	done	2026-08-01	2026-12-31	2026-08-01 11:20:11.360387+00	2026-08-01 11:20:11.365173+00	\N	\N	null	\N
61faa287-6b84-4c75-b410-01663c05a18c	08780e69-db68-4fc6-a621-1a1860e2e55d	12	done	2026-06-01	2026-06-30	2026-06-01 11:20:11.339538+00	2026-06-01 11:20:11.353972+00	Demo: I. Mulder, intern begeleider	2026-06-01 11:20:11.346722+00	{"plan": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "doelen": "Stap 12: besproken en vastgelegd.", "acties": "Stap 12: besproken en vastgelegd.", "evaluatie_op": "2027-03-28"}}	\N
20fc1d30-a9a7-45b7-a1cc-098f38c5a819	08780e69-db68-4fc6-a621-1a1860e2e55d	15	done	2026-12-01	2027-05-31	2026-12-01 12:20:11.414714+00	2026-12-01 12:20:11.422311+00	\N	\N	null	\N
5f253344-640b-451a-949a-c8a57ac8f82f	08780e69-db68-4fc6-a621-1a1860e2e55d	16	skipped	\N	\N	\N	2026-12-01 12:20:11.429031+00	\N	\N	null	niet van toepassing: alleen bij de route PRO of VSO
d5a44040-744a-401c-9f7e-c60021d588c3	08780e69-db68-4fc6-a621-1a1860e2e55d	18	skipped	\N	\N	\N	2026-12-01 12:20:11.442908+00	\N	\N	null	niet van toepassing: alleen bij de route PRO of VSO
6b438058-923a-46d4-8908-600827376721	08780e69-db68-4fc6-a621-1a1860e2e55d	20	open	2027-03-15	2027-03-24	2027-03-15 12:20:11.484832+00	\N	\N	\N	null	\N
6e6febc9-f627-4fb2-b16b-1d30446fcf4a	08780e69-db68-4fc6-a621-1a1860e2e55d	19	done	2027-01-01	2027-01-31	2027-01-01 12:20:11.454731+00	2027-01-01 12:20:11.477444+00	Demo: I. Mulder, intern begeleider	2027-01-01 12:20:11.467212+00	{"advies": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "advies": "praktijkonderwijs", "toelichting": "Stap 19: besproken en vastgelegd."}}	\N
c0a15bc2-5bcc-43f0-a5df-903dc086850a	c7cc1071-0aee-4848-8bef-cc1966a3eedc	1	done	2025-09-01	2025-10-31	2025-09-01 11:20:11.500356+00	2025-09-01 11:20:11.514949+00	Demo: I. Mulder, intern begeleider	2025-09-01 11:20:11.508886+00	{"vaststelling": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "uitgevoerd_op": "2025-09-01", "toelichting": "Stap 1: besproken en vastgelegd."}}	\N
f0641b8a-beb3-489e-a6b2-71af486b036b	c7cc1071-0aee-4848-8bef-cc1966a3eedc	2	done	2025-10-01	2025-10-31	2025-10-01 11:20:11.520252+00	2025-10-01 11:20:11.53416+00	Demo: I. Mulder, intern begeleider	2025-10-01 11:20:11.526962+00	{"overleg": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "vo_school": "CS Vincent van Gogh Lariks", "in_aanmerking": "ja", "toelichting": "Stap 2: besproken en vastgelegd."}}	\N
9c67c569-1a56-4387-90f2-86601554f6ed	c7cc1071-0aee-4848-8bef-cc1966a3eedc	3	done	2025-11-01	2025-11-30	2025-11-01 12:20:11.540139+00	2025-11-01 12:20:11.553547+00	Demo: I. Mulder, intern begeleider	2025-11-01 12:20:11.546898+00	{"open_dagen": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "uitgevoerd_op": "2025-11-01", "toelichting": "Stap 3: besproken en vastgelegd."}}	\N
295c123d-57d3-49b1-8133-43efb0eb0470	c7cc1071-0aee-4848-8bef-cc1966a3eedc	4	done	2026-01-01	2026-01-31	2026-01-01 12:20:11.559772+00	2026-01-01 12:20:11.564085+00	\N	\N	null	\N
c26cff82-1da6-43d0-b0ac-d3c9ba926c9a	c7cc1071-0aee-4848-8bef-cc1966a3eedc	5	done	2026-01-01	2026-02-28	2026-01-01 12:20:11.567867+00	2026-01-01 12:20:11.580879+00	Demo: I. Mulder, intern begeleider	2026-01-01 12:20:11.574509+00	{"vaststelling": {"beantwoord_door": "Demo: I. Mulder, intern begeleider", "in_stappenplan": "nee", "toelichting": "Geen extra begeleiding nodig."}}	\N
\.


--
-- Data for Name: tlvrequest; Type: TABLE DATA; Schema: public; Owner: -
--

COPY tlvrequest (id, trajectory_id, kind, tussengroep, grensgebied, submitted_by, submitted_on, advice, decision, category, decided_on, valid_until, reason, created_at) FROM stdin;
fef98b48-3c15-4edb-930c-e0560f30f395	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	PRO	f	f	PrO Assen	2026-12-01	positief	\N	\N	\N	\N	\N	2026-12-01 12:20:11.051682+00
\.


--
-- Data for Name: trackrun; Type: TABLE DATA; Schema: public; Owner: -
--

COPY trackrun (status, waiting_for, current_step, current_question, wait_until, due, pause_key, wait_seq, flow_run_id, started_at, finished_at, id, trajectory_id, track, step) FROM stdin;
actief	answer	21	toelating	\N	2027-05-06	stap-21-toelating-1	0	\N	2027-03-25 12:20:10.670601+00	\N	60243ca6-f333-4819-9309-b48904d0024a	739ceed6-b987-4ece-a98a-bd834e54285b	toelating	21
afgerond	done	\N	\N	\N	\N	\N	0	\N	2026-12-01 12:20:11.009708+00	2026-12-01 12:20:11.033507+00	32b1ec52-af1b-4572-aa79-027cacc771fd	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	toelating	16
actief	answer	18	tlv	\N	2027-05-12	stap-18-tlv-1	0	\N	2026-12-01 12:20:11.018362+00	\N	22495e89-91c9-499c-87fd-e00ecaa1e577	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	tlv	\N
\.


--
-- Data for Name: trajectory; Type: TABLE DATA; Schema: public; Owner: -
--

COPY trajectory (status, waiting_for, current_step, current_question, wait_until, due, pause_key, wait_seq, flow_run_id, started_at, finished_at, id, pupil_id, code, cohort, transfer_groep, route, plan_version, vo_school_id) FROM stdin;
actief	track	24	\N	\N	2027-06-30	wacht-1	1	\N	2025-09-01 11:20:10.738556+00	\N	3f40dfbb-572f-4c03-8ef6-91dc8aff60c7	db1c4abd-01bf-477e-aae1-48f251d09575	6LEV	2027	8	pro	2025-2026.1	0446f1f6-a2c2-40e3-92b9-5af0e4edf84f
actief	answer	20	advies	\N	2027-03-24	stap-20-advies-1	0	\N	2025-09-01 11:20:11.145013+00	\N	08780e69-db68-4fc6-a621-1a1860e2e55d	e2b52154-0d4f-4b45-88ef-594f45cacd24	TGWY	2027	8	regulier	2025-2026.1	805d0b51-fe4d-491c-af53-3178a493066d
actief	track	24	\N	\N	2027-06-30	wacht-1	1	\N	2025-09-01 11:20:10.210807+00	\N	739ceed6-b987-4ece-a98a-bd834e54285b	615f6799-3bb8-4782-a739-c1412ed22be5	7F3K	2027	8	regulier	2025-2026.1	805d0b51-fe4d-491c-af53-3178a493066d
gestopt	stopped	\N	\N	\N	\N	\N	0	\N	2025-09-01 11:20:11.495254+00	2026-01-01 12:20:11.584229+00	c7cc1071-0aee-4848-8bef-cc1966a3eedc	a0ecc01c-bf74-47c0-a44d-38a8db6b6273	X2HM	2027	8	onbekend	2025-2026.1	f13cc210-04ee-46af-aa30-1efa4bc7e1b6
\.


--
-- Name: auditentry_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('auditentry_id_seq', 203, true);


--
-- Name: outboxfailure_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('outboxfailure_id_seq', 1, false);


--
-- Name: answer answer_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY answer
    ADD CONSTRAINT answer_pkey PRIMARY KEY (id);


--
-- Name: answer answer_trajectory_id_step_question_attempt_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY answer
    ADD CONSTRAINT answer_trajectory_id_step_question_attempt_key UNIQUE (trajectory_id, step, question, attempt);


--
-- Name: auditentry auditentry_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY auditentry
    ADD CONSTRAINT auditentry_pkey PRIMARY KEY (id);


--
-- Name: clockoverride clockoverride_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY clockoverride
    ADD CONSTRAINT clockoverride_pkey PRIMARY KEY (id);


--
-- Name: contact contact_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY contact
    ADD CONSTRAINT contact_pkey PRIMARY KEY (id);


--
-- Name: contact contact_school_id_role_email_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY contact
    ADD CONSTRAINT contact_school_id_role_email_key UNIQUE (school_id, role, email);


--
-- Name: outboxfailure outboxfailure_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY outboxfailure
    ADD CONSTRAINT outboxfailure_pkey PRIMARY KEY (id);


--
-- Name: outboxmessage outboxmessage_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY outboxmessage
    ADD CONSTRAINT outboxmessage_pkey PRIMARY KEY (id);


--
-- Name: pupil pupil_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY pupil
    ADD CONSTRAINT pupil_pkey PRIMARY KEY (id);


--
-- Name: school school_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY school
    ADD CONSTRAINT school_pkey PRIMARY KEY (id);


--
-- Name: steprecord steprecord_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY steprecord
    ADD CONSTRAINT steprecord_pkey PRIMARY KEY (id);


--
-- Name: steprecord steprecord_trajectory_id_step_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY steprecord
    ADD CONSTRAINT steprecord_trajectory_id_step_key UNIQUE (trajectory_id, step);


--
-- Name: tlvrequest tlvrequest_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY tlvrequest
    ADD CONSTRAINT tlvrequest_pkey PRIMARY KEY (id);


--
-- Name: trackrun trackrun_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY trackrun
    ADD CONSTRAINT trackrun_pkey PRIMARY KEY (id);


--
-- Name: trackrun trackrun_trajectory_id_track_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY trackrun
    ADD CONSTRAINT trackrun_trajectory_id_track_key UNIQUE (trajectory_id, track);


--
-- Name: trajectory trajectory_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY trajectory
    ADD CONSTRAINT trajectory_pkey PRIMARY KEY (id);


--
-- Name: trajectory trajectory_pupil_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY trajectory
    ADD CONSTRAINT trajectory_pupil_id_key UNIQUE (pupil_id);


--
-- Name: ix_answer_trajectory_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_answer_trajectory_id ON answer USING btree (trajectory_id);


--
-- Name: ix_auditentry_action; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_auditentry_action ON auditentry USING btree (action);


--
-- Name: ix_auditentry_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_auditentry_at ON auditentry USING btree (at);


--
-- Name: ix_auditentry_trajectory_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_auditentry_trajectory_id ON auditentry USING btree (trajectory_id);


--
-- Name: ix_contact_school_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_contact_school_id ON contact USING btree (school_id);


--
-- Name: ix_outboxfailure_message_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_outboxfailure_message_id ON outboxfailure USING btree (message_id);


--
-- Name: ix_outboxmessage_dedup_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ix_outboxmessage_dedup_key ON outboxmessage USING btree (dedup_key);


--
-- Name: ix_outboxmessage_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_outboxmessage_due ON outboxmessage USING btree (status, next_attempt_at);


--
-- Name: ix_outboxmessage_recipient; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_outboxmessage_recipient ON outboxmessage USING btree (recipient);


--
-- Name: ix_outboxmessage_trajectory_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_outboxmessage_trajectory_id ON outboxmessage USING btree (trajectory_id);


--
-- Name: ix_pupil_po_school_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_pupil_po_school_id ON pupil USING btree (po_school_id);


--
-- Name: ix_school_brin; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ix_school_brin ON school USING btree (brin);


--
-- Name: ix_school_name; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_school_name ON school USING btree (name);


--
-- Name: ix_steprecord_trajectory_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_steprecord_trajectory_id ON steprecord USING btree (trajectory_id);


--
-- Name: ix_tlvrequest_trajectory_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_tlvrequest_trajectory_id ON tlvrequest USING btree (trajectory_id);


--
-- Name: ix_trackrun_flow_run_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_trackrun_flow_run_id ON trackrun USING btree (flow_run_id);


--
-- Name: ix_trackrun_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_trackrun_status ON trackrun USING btree (status);


--
-- Name: ix_trackrun_trajectory_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_trackrun_trajectory_id ON trackrun USING btree (trajectory_id);


--
-- Name: ix_trajectory_code; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ix_trajectory_code ON trajectory USING btree (code);


--
-- Name: ix_trajectory_cohort; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_trajectory_cohort ON trajectory USING btree (cohort);


--
-- Name: ix_trajectory_flow_run_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_trajectory_flow_run_id ON trajectory USING btree (flow_run_id);


--
-- Name: ix_trajectory_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_trajectory_status ON trajectory USING btree (status);


--
-- Name: answer answer_trajectory_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY answer
    ADD CONSTRAINT answer_trajectory_id_fkey FOREIGN KEY (trajectory_id) REFERENCES trajectory(id);


--
-- Name: auditentry auditentry_trajectory_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY auditentry
    ADD CONSTRAINT auditentry_trajectory_id_fkey FOREIGN KEY (trajectory_id) REFERENCES trajectory(id);


--
-- Name: contact contact_school_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY contact
    ADD CONSTRAINT contact_school_id_fkey FOREIGN KEY (school_id) REFERENCES school(id);


--
-- Name: outboxfailure outboxfailure_message_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY outboxfailure
    ADD CONSTRAINT outboxfailure_message_id_fkey FOREIGN KEY (message_id) REFERENCES outboxmessage(id);


--
-- Name: outboxmessage outboxmessage_trajectory_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY outboxmessage
    ADD CONSTRAINT outboxmessage_trajectory_id_fkey FOREIGN KEY (trajectory_id) REFERENCES trajectory(id);


--
-- Name: pupil pupil_po_school_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY pupil
    ADD CONSTRAINT pupil_po_school_id_fkey FOREIGN KEY (po_school_id) REFERENCES school(id);


--
-- Name: steprecord steprecord_trajectory_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY steprecord
    ADD CONSTRAINT steprecord_trajectory_id_fkey FOREIGN KEY (trajectory_id) REFERENCES trajectory(id);


--
-- Name: tlvrequest tlvrequest_trajectory_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY tlvrequest
    ADD CONSTRAINT tlvrequest_trajectory_id_fkey FOREIGN KEY (trajectory_id) REFERENCES trajectory(id);


--
-- Name: trackrun trackrun_trajectory_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY trackrun
    ADD CONSTRAINT trackrun_trajectory_id_fkey FOREIGN KEY (trajectory_id) REFERENCES trajectory(id);


--
-- Name: trajectory trajectory_pupil_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY trajectory
    ADD CONSTRAINT trajectory_pupil_id_fkey FOREIGN KEY (pupil_id) REFERENCES pupil(id);


--
-- Name: trajectory trajectory_vo_school_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY trajectory
    ADD CONSTRAINT trajectory_vo_school_id_fkey FOREIGN KEY (vo_school_id) REFERENCES school(id);


--
-- PostgreSQL database dump complete
--

\unrestrict Z7cgIrdfk6KLkGaMAEi9N4sjUtkOEadxINNieSCc9dcHbw7DdUVlebojDh3u2UL

