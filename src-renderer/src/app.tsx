/** The control center's shell. The live graph, cards and logs arrive with the contract. */
export function App() {
  return (
    <main>
      <h1>Provisioning Control Center</h1>
    </main>
  );
}
